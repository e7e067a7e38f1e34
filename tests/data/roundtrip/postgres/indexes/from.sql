CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, payload jsonb, created_at timestamptz NOT NULL, deleted_at timestamptz, email text);
CREATE INDEX events_kind ON events (kind);
CREATE INDEX events_old ON events (created_at);
