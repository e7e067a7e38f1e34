CREATE DOMAIN us_zip AS text CHECK (VALUE ~ '^[0-9]{5}$');
CREATE DOMAIN qty AS int DEFAULT 1;
CREATE TABLE addresses (id int PRIMARY KEY, zip us_zip, n qty);
