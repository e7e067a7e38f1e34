CREATE TABLE memberships (user_id int NOT NULL, group_id int NOT NULL, role text NOT NULL, CONSTRAINT memberships_pkey PRIMARY KEY (user_id));
CREATE TABLE tags (name text NOT NULL, id int NOT NULL);
