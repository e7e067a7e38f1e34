CREATE TABLE `order` (`select` int PRIMARY KEY, `From` varchar(10));
CREATE TABLE `MixedCase` (id int PRIMARY KEY);
