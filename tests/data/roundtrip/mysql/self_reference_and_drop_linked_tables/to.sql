CREATE TABLE keep (
  id int PRIMARY KEY,
  parent_id int,
  CONSTRAINT keep_parent FOREIGN KEY (parent_id) REFERENCES keep (id) ON DELETE CASCADE
);
