CREATE TABLE "Order" (id int PRIMARY KEY, "user" text);
