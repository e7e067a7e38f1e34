-- strata:no-transaction
-- strata:lock-timeout 5s
CREATE INDEX CONCURRENTLY orders_total ON orders (total);
DROP INDEX CONCURRENTLY IF EXISTS orders_placed_at;
REINDEX INDEX CONCURRENTLY orders_customer_id;
