CREATE TABLE existing (id INTEGER PRIMARY KEY);
CREATE TABLE z_child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES a_parent (id) ON DELETE CASCADE, existing_id INTEGER REFERENCES existing (id));
CREATE TABLE a_parent (id INTEGER PRIMARY KEY, manager_id INTEGER REFERENCES a_parent (id) ON DELETE SET NULL);
CREATE TABLE link (a INTEGER REFERENCES a_parent (id), b INTEGER REFERENCES z_child (id), PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE INDEX link_b ON link (b);
CREATE VIEW parents_with_children AS SELECT p.id, count(c.id) AS n FROM a_parent p LEFT JOIN z_child c ON c.parent_id = p.id GROUP BY p.id;
