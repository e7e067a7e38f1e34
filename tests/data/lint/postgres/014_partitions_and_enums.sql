SET lock_timeout = '2s';
ALTER TABLE events DETACH PARTITION events_2024;
ALTER TABLE events DETACH PARTITION events_2025 CONCURRENTLY;
ALTER TYPE order_status ADD VALUE 'refunded';
UPDATE orders SET status = 'refunded' WHERE id = 1;
