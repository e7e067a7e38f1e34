-- Make users.email NOT NULL: SQLite needs a rebuild.
CREATE TABLE new_users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  name TEXT
);
INSERT INTO new_users (id, email, name) SELECT id, coalesce(email, ''), name FROM users;
-- strata:allow DL001 rebuild: rows copied into new_users
DROP TABLE users;
ALTER TABLE new_users RENAME TO users;
CREATE UNIQUE INDEX users_email ON users (email);
