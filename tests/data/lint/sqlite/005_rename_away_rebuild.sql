-- Old style: move the table aside, recreate it, copy back.
-- strata:allow DL005 rebuild: accounts is recreated below in the same transaction
ALTER TABLE accounts RENAME TO accounts_old;
CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL, plan TEXT NOT NULL DEFAULT 'free');
INSERT INTO accounts (id, owner_id, plan) SELECT id, owner_id, plan FROM accounts_old;
-- strata:allow DL001 rebuild: rows copied back into accounts
DROP TABLE accounts_old;
