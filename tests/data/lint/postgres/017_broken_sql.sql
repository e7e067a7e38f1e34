SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN ok boolean;
CREATE TABEL oops (id int);
