CREATE SCHEMA "Sales Team";
CREATE TABLE "Order" (id int PRIMARY KEY, "user" text, "Total Amount" numeric, "select" int NOT NULL DEFAULT 0);
CREATE TABLE "Sales Team"."Straße" ("größe" int PRIMARY KEY, "it""s" text UNIQUE, "order" int REFERENCES "Order" (id));
CREATE INDEX "Order_Total" ON "Order" ("Total Amount" DESC);
CREATE TYPE "Mixed Enum" AS ENUM ('A', 'b');
CREATE TABLE "table" ("column" "Mixed Enum", "CamelCase" int CHECK ("CamelCase" > 0));
CREATE VIEW "Big Orders" AS SELECT id, "user" FROM "Order" WHERE "Total Amount" > 10;
