CREATE TABLE words (id int PRIMARY KEY, w text, sorted text COLLATE "C");
