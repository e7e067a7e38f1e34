CREATE TABLE t (
    id INTEGER PRIMARY KEY,
    full_name TEXT -- strata:renamed-from name
);
