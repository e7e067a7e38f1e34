CREATE TABLE docs (id int PRIMARY KEY, title varchar(200), body text) ENGINE=InnoDB;
