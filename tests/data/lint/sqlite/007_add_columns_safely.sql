ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free';
ALTER TABLE users ADD COLUMN score INTEGER DEFAULT (0) CHECK (score >= 0);
ALTER TABLE users ADD COLUMN display TEXT GENERATED ALWAYS AS (coalesce(name, email)) VIRTUAL;
ALTER TABLE users RENAME COLUMN name TO full_name;
ALTER TABLE users DROP COLUMN legacy_flags;
CREATE INDEX users_plan ON users (plan);
UPDATE users SET plan = 'pro' WHERE id IN (SELECT user_id FROM subscriptions);
