CREATE TABLE events (id int PRIMARY KEY, note varchar(100));
CREATE TABLE audit (id int AUTO_INCREMENT PRIMARY KEY, what varchar(20));
CREATE TRIGGER events_log AFTER INSERT ON events FOR EACH ROW INSERT INTO audit (what) VALUES ('log');
CREATE TRIGGER events_check AFTER INSERT ON events FOR EACH ROW PRECEDES events_log INSERT INTO audit (what) VALUES ('check');
CREATE TRIGGER events_after AFTER INSERT ON events FOR EACH ROW FOLLOWS events_log INSERT INTO audit (what) VALUES ('after');
CREATE TABLE fresh (id int PRIMARY KEY);
CREATE TRIGGER fresh_z BEFORE INSERT ON fresh FOR EACH ROW SET NEW.id = NEW.id;
CREATE TRIGGER fresh_a BEFORE INSERT ON fresh FOR EACH ROW FOLLOWS fresh_z SET NEW.id = NEW.id + 0;
