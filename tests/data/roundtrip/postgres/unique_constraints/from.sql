CREATE TABLE people (id int PRIMARY KEY, email text NOT NULL, ssn text, CONSTRAINT people_ssn_key UNIQUE (ssn));
