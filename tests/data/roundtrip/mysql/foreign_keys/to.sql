CREATE TABLE parent (id int PRIMARY KEY);
CREATE TABLE child (
  id int PRIMARY KEY,
  parent_id int,
  other_id int,
  KEY child_parent (parent_id),
  KEY child_other (other_id),
  CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT child_other_fk FOREIGN KEY (other_id) REFERENCES parent (id)
);
