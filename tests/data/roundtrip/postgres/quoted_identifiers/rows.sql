INSERT INTO "Order" VALUES (1, 'me');
