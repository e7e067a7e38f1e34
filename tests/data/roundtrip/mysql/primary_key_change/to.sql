CREATE TABLE t (id int NOT NULL, tenant int NOT NULL, v text, PRIMARY KEY (tenant, id));
