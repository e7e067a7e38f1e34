CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT, qty INTEGER, CONSTRAINT t_code_key UNIQUE (code), CONSTRAINT qty_positive CHECK (qty > 0));
