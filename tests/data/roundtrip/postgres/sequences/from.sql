CREATE SEQUENCE old_seq;
CREATE TABLE tickets (id int NOT NULL, code text);
