INSERT INTO items (id, kind, note, price, code) VALUES (1, 'book', 'first', 10, 'BK1'), (2, 'pen', NULL, 2, 'PN2');
INSERT INTO item_tags (item_id, tag) VALUES (1, 'paper'), (2, 'ink'), (2, 'office');
