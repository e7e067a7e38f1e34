INSERT INTO app.user_account VALUES (1, 'A@x'), (2, 'b@x');
INSERT INTO app.sessions VALUES (1, 1), (2, 1);
INSERT INTO old_ns.leftovers VALUES (1);
