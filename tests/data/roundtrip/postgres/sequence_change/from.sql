CREATE SEQUENCE order_numbers START 100;
CREATE TABLE tickets (id int NOT NULL, code text NOT NULL DEFAULT 'T' || nextval('order_numbers')::text);
