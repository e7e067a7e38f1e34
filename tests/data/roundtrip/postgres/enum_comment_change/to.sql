CREATE TYPE mood AS ENUM ('sad', 'ok');
COMMENT ON TYPE mood IS 'how people feel today';
CREATE TABLE people (id int PRIMARY KEY, mood mood);
