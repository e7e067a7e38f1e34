-- SET GLOBAL only affects new sessions, not this one.
SET GLOBAL lock_wait_timeout = 5;
TRUNCATE TABLE search_cache;
