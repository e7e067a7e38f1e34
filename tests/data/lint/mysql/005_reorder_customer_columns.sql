SET SESSION lock_wait_timeout = 5;
-- Tidy the customers table for the admin screen.
ALTER TABLE customers MODIFY email VARCHAR(255) NOT NULL AFTER id;
ALTER TABLE customers CHANGE `fullname` `full_name` VARCHAR(200) NULL, ALGORITHM=INPLACE, LOCK=NONE;
ALTER TABLE customers RENAME COLUMN phone TO phone_number, ALGORITHM=INSTANT;
ALTER TABLE customers ALTER COLUMN country SET DEFAULT 'US', ALGORITHM=INSTANT;
