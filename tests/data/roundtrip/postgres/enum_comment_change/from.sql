CREATE TYPE mood AS ENUM ('sad', 'ok');
COMMENT ON TYPE mood IS 'how people feel';
CREATE TABLE people (id int PRIMARY KEY, mood mood);
