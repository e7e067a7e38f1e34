INSERT INTO billing.invoices VALUES (1, 5), (2, 6);
INSERT INTO legacy.old_stuff VALUES (1);
