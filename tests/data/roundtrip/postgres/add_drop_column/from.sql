CREATE TABLE items (id int PRIMARY KEY, legacy text, name text NOT NULL);
