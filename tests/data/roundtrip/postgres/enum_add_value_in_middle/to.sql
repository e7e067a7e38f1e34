CREATE TYPE priority AS ENUM ('low', 'medium', 'high', 'urgent');
CREATE TABLE tickets (id int PRIMARY KEY, priority priority NOT NULL);
