CREATE TABLE accounts (
    id int PRIMARY KEY,
    status text NOT NULL DEFAULT 'active',
    plan text,
    balance numeric(12,2) DEFAULT 100,
    created_at timestamp
);
