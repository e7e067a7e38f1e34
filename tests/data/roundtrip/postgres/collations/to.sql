CREATE TABLE words (id int PRIMARY KEY, w text COLLATE "C", sorted text, tag varchar(20) COLLATE "POSIX");
CREATE INDEX words_w ON words (w COLLATE "POSIX");
