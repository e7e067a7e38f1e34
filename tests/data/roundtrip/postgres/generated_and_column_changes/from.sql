CREATE TABLE lines (id int PRIMARY KEY, qty int NOT NULL, price numeric NOT NULL, total numeric, label text GENERATED ALWAYS AS ('#' || id::text) STORED);
