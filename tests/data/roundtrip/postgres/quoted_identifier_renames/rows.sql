INSERT INTO "Order" VALUES (1, 3, 'me'), (2, NULL, 'you');
INSERT INTO "Line" VALUES (1, 1), (2, 1);
