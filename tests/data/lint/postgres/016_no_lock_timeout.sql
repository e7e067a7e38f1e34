ALTER TABLE orders ADD COLUMN gift boolean;
ALTER TABLE orders ALTER COLUMN gift SET DEFAULT false;
