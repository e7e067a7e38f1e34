INSERT INTO "Café" VALUES (1, 2.5, 'é');
