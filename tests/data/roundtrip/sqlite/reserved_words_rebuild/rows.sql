INSERT INTO "group" VALUES (1, 2, 'a', 1), (3, 4, 'b', 2);
INSERT INTO "where" VALUES (1, 'x'), (2, 'y');
