CREATE TABLE memberships (user_id INTEGER NOT NULL, group_id INTEGER NOT NULL, role TEXT, PRIMARY KEY (user_id, group_id));
CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT);
CREATE TABLE nokey (a INTEGER, b INTEGER);
