-- strata:lock-timeout 5s
-- strata:allow MY002
ALTER TABLE products ADD COLUMN weight_grams INT NULL;
