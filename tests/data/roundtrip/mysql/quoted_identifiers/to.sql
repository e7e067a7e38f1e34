CREATE TABLE `order` (
  `select` int PRIMARY KEY,
  `From` varchar(10),
  `größe` int DEFAULT 1,
  `odd``name` varchar(5) COMMENT 'tick`s',
  `with space` int,
  KEY `idx order` (`From`, `größe`),
  CONSTRAINT `check` CHECK (`größe` > 0)
);
CREATE TABLE `MixedCase` (id int PRIMARY KEY, `Value` int, CONSTRAINT `FK Order` FOREIGN KEY (`Value`) REFERENCES `order` (`select`));
CREATE TABLE `Ünïcode` (`ключ` int PRIMARY KEY);
CREATE VIEW `Order View` AS SELECT `select`, `odd``name` FROM `order`;
CREATE TRIGGER `Trig``ger` BEFORE INSERT ON `order` FOR EACH ROW SET NEW.`From` = UPPER(NEW.`From`);
