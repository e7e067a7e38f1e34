-- strata:lock-timeout 5s
ALTER TABLE page_views DROP PRIMARY KEY, LOCK=SHARED;
