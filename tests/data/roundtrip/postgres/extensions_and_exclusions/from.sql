CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE booking (id int PRIMARY KEY, room int NOT NULL, during tstzrange NOT NULL, token bytea DEFAULT gen_random_bytes(8));
CREATE INDEX booking_room ON booking (room);
