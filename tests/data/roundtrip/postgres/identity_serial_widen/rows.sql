-- Five ids issued per table, the last two deleted: the sequences are ahead of max(id).
INSERT INTO accounts (name) SELECT 'a' || g FROM generate_series(1, 5) g;
INSERT INTO tickets (title) SELECT 't' || g FROM generate_series(1, 5) g;
DELETE FROM accounts WHERE id > 3;
DELETE FROM tickets WHERE id > 3;
INSERT INTO notes (account_id, ticket_id) VALUES (1, 1), (3, NULL), (2, 3);
