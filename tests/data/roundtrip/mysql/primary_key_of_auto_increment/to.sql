CREATE TABLE t (id int NOT NULL AUTO_INCREMENT, tenant int NOT NULL, PRIMARY KEY (id, tenant));
