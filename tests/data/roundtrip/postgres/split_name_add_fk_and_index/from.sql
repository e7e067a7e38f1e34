CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL, email text);
