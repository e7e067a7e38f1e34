CREATE DOMAIN us_zip AS text CONSTRAINT us_zip_format CHECK (VALUE ~ '^[0-9]{5}(-[0-9]{4})?$');
CREATE DOMAIN qty AS int NOT NULL DEFAULT 0 CHECK (VALUE >= 0);
CREATE TABLE addresses (id int PRIMARY KEY, zip us_zip, n qty);
