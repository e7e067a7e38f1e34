CREATE TABLE keep (id int PRIMARY KEY);
CREATE TABLE gone (id int PRIMARY KEY, note text);
