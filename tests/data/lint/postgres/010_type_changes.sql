SET lock_timeout = '2s';
ALTER TABLE customers ALTER COLUMN nickname TYPE text;
ALTER TABLE customers ALTER COLUMN nickname TYPE varchar(100);
ALTER TABLE orders ALTER COLUMN customer_id TYPE integer;
ALTER TABLE orders ALTER COLUMN total TYPE numeric;
