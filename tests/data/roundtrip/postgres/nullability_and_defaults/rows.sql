INSERT INTO accounts (id, status, plan) VALUES (1, 'x', 'free'), (2, 'y', 'pro');
