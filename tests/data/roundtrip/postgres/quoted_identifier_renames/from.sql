CREATE TABLE "Order" (id int PRIMARY KEY, "Größe" int, "user" text);
CREATE TABLE "Line" (id int PRIMARY KEY, "order" int REFERENCES "Order" (id) ON DELETE CASCADE);
CREATE INDEX "Order_Größe" ON "Order" ("Größe");
