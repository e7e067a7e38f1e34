CREATE TABLE "Orders" (id int PRIMARY KEY, "größe_cm" int, "select" text NOT NULL DEFAULT '');
CREATE TABLE "Line" (id int PRIMARY KEY, "order" int REFERENCES "Orders" (id) ON DELETE CASCADE);
CREATE INDEX "Order_Größe" ON "Orders" ("größe_cm");
