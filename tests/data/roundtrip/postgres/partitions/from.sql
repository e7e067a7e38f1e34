CREATE TABLE measurements (id bigint NOT NULL, taken_at date NOT NULL, value numeric);
