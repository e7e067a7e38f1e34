INSERT INTO accounts VALUES (1, 10, NULL);
INSERT INTO account_log VALUES (1, 'seed');
