CREATE TABLE people (id int PRIMARY KEY, name varchar(50));
CREATE TABLE pets (id int PRIMARY KEY, owner_id int, CONSTRAINT pets_owner FOREIGN KEY (owner_id) REFERENCES people (id));
