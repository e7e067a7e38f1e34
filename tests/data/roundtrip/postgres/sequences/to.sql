CREATE SEQUENCE order_numbers START 100 INCREMENT 5 CACHE 10;
CREATE SEQUENCE small_cycle AS smallint MINVALUE 1 MAXVALUE 100 CYCLE;
CREATE TABLE tickets (id int NOT NULL, code text NOT NULL DEFAULT 'T' || nextval('order_numbers')::text);
CREATE SEQUENCE custom_ticket_ids AS integer;
CREATE TABLE numbered (id int NOT NULL DEFAULT nextval('custom_ticket_ids'), n serial);
ALTER SEQUENCE custom_ticket_ids OWNED BY numbered.id;
