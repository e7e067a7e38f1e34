CREATE TABLE "group" ("from" INTEGER, "to" INTEGER, "select" TEXT, "order" INTEGER PRIMARY KEY);
CREATE INDEX "index" ON "group" ("select");
CREATE TABLE "where" ("key" INTEGER REFERENCES "group" ("order") ON DELETE CASCADE, "values" TEXT);
