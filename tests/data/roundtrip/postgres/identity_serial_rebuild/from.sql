CREATE TABLE labelled (label text);
CREATE TABLE items (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code serial NOT NULL UNIQUE,
    label text
);
CREATE INDEX items_label ON items (label);
CREATE TABLE item_tags (item_id int NOT NULL REFERENCES items (id), tag text NOT NULL);
