-- strata:lock-timeout 5s
-- Reclaim space after the big purge.
ALTER TABLE events FORCE;
OPTIMIZE TABLE events_archive;
