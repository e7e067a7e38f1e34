SET lock_wait_timeout = 10;
-- audit_log was created without a primary key; replication needs one.
ALTER TABLE audit_log ADD COLUMN id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT FIRST, ADD PRIMARY KEY (id);
