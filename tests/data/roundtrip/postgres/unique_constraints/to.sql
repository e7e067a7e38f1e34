CREATE TABLE people (id int PRIMARY KEY, email text NOT NULL, ssn text,
    CONSTRAINT people_email_key UNIQUE (email),
    CONSTRAINT people_email_ssn UNIQUE (email, ssn) DEFERRABLE INITIALLY DEFERRED);
