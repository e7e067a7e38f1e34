REINDEX TABLE orders;
VACUUM FULL customers;
CLUSTER orders USING orders_pkey;
REINDEX TABLE CONCURRENTLY customers;
