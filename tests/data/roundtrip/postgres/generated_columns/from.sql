CREATE TABLE boxes (
    id int PRIMARY KEY,
    w numeric NOT NULL,
    h numeric NOT NULL,
    area numeric GENERATED ALWAYS AS (w * h) STORED
);
