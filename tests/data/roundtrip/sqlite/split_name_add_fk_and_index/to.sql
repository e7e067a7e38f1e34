CREATE TABLE teams (id INTEGER PRIMARY KEY, title TEXT NOT NULL UNIQUE);
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL, -- strata:renamed-from name
    last_name TEXT NOT NULL DEFAULT '',
    email TEXT,
    team_id INTEGER REFERENCES teams (id) ON DELETE SET NULL
);
CREATE INDEX people_last_first ON people (last_name, first_name);
CREATE UNIQUE INDEX people_email ON people (lower(email)) WHERE email IS NOT NULL;
