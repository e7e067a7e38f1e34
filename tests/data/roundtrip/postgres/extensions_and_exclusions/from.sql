CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE booking (id int PRIMARY KEY, room int NOT NULL, during tstzrange NOT NULL, token bytea DEFAULT gen_random_bytes(8))
    WITH (fillfactor = 80, autovacuum_enabled = false);
CREATE INDEX booking_room ON booking (room);
