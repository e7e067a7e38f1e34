CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE booking (
    id int PRIMARY KEY,
    room int NOT NULL,
    during tstzrange NOT NULL,
    token bytea,
    CONSTRAINT booking_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (room > 0)
) WITH (fillfactor = 90, toast.autovacuum_enabled = false);
CREATE INDEX booking_room ON booking (room) WITH (fillfactor = 71);
CREATE TABLE slots (id int PRIMARY KEY, during tsrange, EXCLUDE USING gist (during WITH &&) DEFERRABLE INITIALLY DEFERRED)
    WITH (fillfactor = 50);
