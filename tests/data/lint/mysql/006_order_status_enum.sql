-- strata:lock-timeout 5s
-- Appending a value at the end is instant; the assertion keeps it that way.
ALTER TABLE orders MODIFY status ENUM('new','paid','shipped','refunded') NOT NULL DEFAULT 'new', ALGORITHM=INSTANT;
