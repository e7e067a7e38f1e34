CREATE TABLE t (id int PRIMARY KEY, v int, audit varchar(50));
CREATE TABLE log (msg varchar(100));
CREATE TRIGGER t_simple AFTER DELETE ON t FOR EACH ROW INSERT INTO log VALUES ('deleted');
