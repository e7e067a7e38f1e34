CREATE TABLE measures (
    id int PRIMARY KEY,
    counter int NOT NULL,
    label varchar(50),
    descr text,
    ratio real
);
