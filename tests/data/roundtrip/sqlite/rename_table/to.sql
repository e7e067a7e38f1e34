-- strata:renamed-from people
CREATE TABLE persons (id INTEGER PRIMARY KEY, name TEXT);
