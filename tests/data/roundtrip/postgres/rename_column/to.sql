CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, nickname varchar(40));
CREATE INDEX users_mail ON users (email);
