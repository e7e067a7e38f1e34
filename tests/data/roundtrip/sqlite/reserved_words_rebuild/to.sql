CREATE TABLE "group" ("from" INTEGER NOT NULL DEFAULT 0, "to" INTEGER, "select" TEXT COLLATE NOCASE, "order" INTEGER PRIMARY KEY, CHECK ("from" <= "to"));
CREATE INDEX "index" ON "group" ("select", "to" DESC);
CREATE TABLE "where" ("key" INTEGER REFERENCES "group" ("order") ON DELETE CASCADE, "values" TEXT);
CREATE TRIGGER "trigger" AFTER DELETE ON "group" BEGIN DELETE FROM "where" WHERE "key" = OLD."order"; END;
