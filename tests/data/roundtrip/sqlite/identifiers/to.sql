CREATE TABLE "order" (id INTEGER PRIMARY KEY, "Select" TEXT, "we""ird col" TEXT, "naïve_ü" INTEGER DEFAULT 0);
CREATE TABLE "Mixed Case" ("Id" INTEGER PRIMARY KEY, "order" INTEGER REFERENCES "order" (id));
CREATE INDEX "idx on order" ON "order" ("Select");
