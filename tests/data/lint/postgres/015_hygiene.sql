SET lock_timeout = '2s';
CREATE TABLE sessions (
    id serial PRIMARY KEY,
    token char(32) NOT NULL,
    started_at timestamp NOT NULL,
    user_id bigint REFERENCES customers (id)
);
CREATE TABLE events_without_key (payload jsonb, at timestamptz);
CREATE TABLE a_table_name_that_is_far_too_long_for_postgresql_to_keep_in_full_sorry (id bigint PRIMARY KEY);
