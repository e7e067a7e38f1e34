CREATE TABLE keep (id INTEGER PRIMARY KEY);
CREATE TABLE a_parent (id INTEGER PRIMARY KEY, manager_id INTEGER REFERENCES a_parent (id));
CREATE TABLE z_child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES a_parent (id) ON DELETE CASCADE, keep_id INTEGER REFERENCES keep (id));
CREATE TRIGGER z_child_ins AFTER INSERT ON z_child BEGIN UPDATE a_parent SET manager_id = NULL WHERE id = NEW.parent_id; END;
