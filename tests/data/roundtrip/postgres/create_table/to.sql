CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE posts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL,
    title varchar(200) NOT NULL DEFAULT 'untitled',
    body text,
    created_at timestamptz NOT NULL DEFAULT now()
);
