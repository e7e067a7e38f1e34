CREATE TABLE readings (
    id int PRIMARY KEY,
    value integer NOT NULL DEFAULT 0,
    taken_at timestamptz,
    flag boolean,
    code char(10)
);
CREATE INDEX readings_value ON readings (value);
