-- Sessions moved to Redis in 2026-09; imports run from S3 now.
SET SESSION lock_wait_timeout = 5;
-- strata:allow DL001 sessions live in Redis since 2026-09; table exported to S3
DROP TABLE legacy_sessions;
DROP TABLE IF EXISTS csv_import_rows;
RENAME TABLE invoice_lines TO invoice_items;
