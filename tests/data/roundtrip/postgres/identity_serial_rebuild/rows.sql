-- Five ids issued, the last two deleted: the sequences are ahead of max(id).
INSERT INTO items (label) SELECT 'i' || g FROM generate_series(1, 5) g;
DELETE FROM items WHERE id > 3;
INSERT INTO labelled VALUES ('plain');
INSERT INTO item_tags VALUES (1, 'a'), (3, 'b');
