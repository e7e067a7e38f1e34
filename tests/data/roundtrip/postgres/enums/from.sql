CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TYPE unused AS ENUM ('x');
CREATE TABLE people (id int PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok');
