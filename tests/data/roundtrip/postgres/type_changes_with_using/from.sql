CREATE TABLE readings (
    id int PRIMARY KEY,
    value text NOT NULL DEFAULT '0',
    taken_at timestamp,
    flag int,
    code varchar(10)
);
CREATE INDEX readings_value ON readings (value);
