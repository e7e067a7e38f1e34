-- Validation state is what the server says, and the tables were not rewritten for it.
SELECT 1 FROM pg_constraint WHERE conname = 'refunds_amount_positive' AND convalidated;
SELECT 1 WHERE (SELECT count(*) FROM refunds) <> 2 OR (SELECT count(*) FROM orders) <> 2;
