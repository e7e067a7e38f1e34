CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (id int PRIMARY KEY, p_id int, qty int, CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id), CONSTRAINT qty_pos CHECK (qty > 0));
