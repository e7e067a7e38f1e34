CREATE TABLE t (
    id INTEGER PRIMARY KEY,
    -- strata:renamed-from name
    full_name TEXT NOT NULL DEFAULT ''
);
