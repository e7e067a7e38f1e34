CREATE TABLE users (id int PRIMARY KEY, mail text NOT NULL, nick varchar(20));
CREATE INDEX users_mail ON users (mail);
