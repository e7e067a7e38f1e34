SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY orders_total ON orders (total);
