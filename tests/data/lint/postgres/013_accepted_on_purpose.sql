-- strata:lock-timeout 2s
-- strata:allow DL001 legacy_invoices was archived to cold storage on 2026-11-01 (ticket OPS-1234)
DROP TABLE legacy_invoices;
-- strata:allow PG001 audit_log is append-only with 300 rows; built in a maintenance window
CREATE INDEX audit_log_at ON audit_log (at);
-- strata:allow DL002
ALTER TABLE orders DROP COLUMN coupon;
