CREATE TABLE measures (
    id int PRIMARY KEY,
    counter bigint NOT NULL,
    label varchar(200),
    descr varchar(500),
    ratio double precision
);
