-- The SET comes too late for the first ALTER.
ALTER TABLE invoices ADD COLUMN paid_at DATETIME NULL, ALGORITHM=INSTANT;
SET SESSION lock_wait_timeout = 5;
ALTER TABLE invoices ADD INDEX invoices_paid_at (paid_at), ALGORITHM=INPLACE;
