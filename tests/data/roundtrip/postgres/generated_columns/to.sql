CREATE TABLE boxes (
    id int PRIMARY KEY,
    w numeric NOT NULL,
    h numeric NOT NULL,
    area numeric GENERATED ALWAYS AS (w * h * 2) STORED,
    perimeter numeric GENERATED ALWAYS AS (2 * (w + h)) STORED
);
