CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    -- strata:renamed-from amt
    amount INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'new'
);
CREATE TABLE audit (order_id INTEGER, amt INTEGER);
CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100;
CREATE TRIGGER orders_audit AFTER UPDATE OF amount ON orders BEGIN INSERT INTO audit VALUES (NEW.id, NEW.amount); END;
