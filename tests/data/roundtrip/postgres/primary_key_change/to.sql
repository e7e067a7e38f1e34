CREATE TABLE memberships (user_id int NOT NULL, group_id int NOT NULL, role text NOT NULL, CONSTRAINT memberships_pk PRIMARY KEY (user_id, group_id));
CREATE TABLE tags (name text NOT NULL, id int PRIMARY KEY);
