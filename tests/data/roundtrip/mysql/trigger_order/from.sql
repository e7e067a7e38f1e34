CREATE TABLE events (id int PRIMARY KEY, note varchar(100));
CREATE TABLE audit (id int AUTO_INCREMENT PRIMARY KEY, what varchar(20));
CREATE TRIGGER events_log AFTER INSERT ON events FOR EACH ROW INSERT INTO audit (what) VALUES ('log');
