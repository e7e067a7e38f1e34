CREATE TYPE priority AS ENUM ('low', 'high');
CREATE TABLE tickets (id int PRIMARY KEY, priority priority NOT NULL);
