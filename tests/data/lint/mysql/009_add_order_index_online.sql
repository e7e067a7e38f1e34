-- strata:lock-timeout 5s
ALTER TABLE orders ADD INDEX orders_customer_created (customer_id, created_at), ALGORITHM=INPLACE, LOCK=NONE;
