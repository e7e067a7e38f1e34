CREATE TABLE labelled (label text);
-- Inheritance cannot be added by ALTER TABLE in strata's model: the table is rebuilt.
CREATE TABLE items (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code serial NOT NULL UNIQUE,
    label text
) INHERITS (labelled);
CREATE INDEX items_label ON items (label);
CREATE TABLE item_tags (item_id int NOT NULL REFERENCES items (id), tag text NOT NULL);
