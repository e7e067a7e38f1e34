CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'unnamed', plan TEXT CHECK (plan IN ('free', 'pro')));
CREATE TABLE projects (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE, title VARCHAR(200));
CREATE TABLE tasks (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE, owner_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL);
CREATE INDEX tasks_project ON tasks (project_id);
