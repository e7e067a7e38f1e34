-- Exclusion constraints: inline in a new table is fine; added to an existing one it blocks it.
SET lock_timeout = '5s';
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE rooms_booked (
    room int NOT NULL,
    during tstzrange NOT NULL,
    CONSTRAINT rooms_booked_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&)
);
ALTER TABLE rooms_booked ADD CONSTRAINT rooms_booked_once EXCLUDE USING gist (during WITH &&);
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (NOT cancelled);
