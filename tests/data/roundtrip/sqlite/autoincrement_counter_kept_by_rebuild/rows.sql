INSERT INTO ev (kind) VALUES ('a'), ('b'), ('c');
INSERT INTO note (ev_id, body) VALUES (1, 'on a'), (2, 'on b');
-- The last id is deleted: only the counter remembers that 3 was handed out.
DELETE FROM ev WHERE id = 3;
