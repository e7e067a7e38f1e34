CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (id int PRIMARY KEY, p_id int, qty int, CONSTRAINT c_parent FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE, CONSTRAINT qty_positive CHECK (qty > 0));
