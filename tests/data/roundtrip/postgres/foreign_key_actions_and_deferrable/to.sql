CREATE TABLE parents (id int PRIMARY KEY, code text NOT NULL UNIQUE);
CREATE TABLE children (
    id int PRIMARY KEY,
    parent_id int CONSTRAINT children_parent_fk REFERENCES parents (id) ON DELETE SET NULL ON UPDATE CASCADE,
    parent_code text CONSTRAINT children_code_fk REFERENCES parents (code) DEFERRABLE INITIALLY IMMEDIATE,
    other_id int CONSTRAINT children_other_ref REFERENCES parents (id) ON DELETE RESTRICT
);
