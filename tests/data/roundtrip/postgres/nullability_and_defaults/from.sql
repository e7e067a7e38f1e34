CREATE TABLE accounts (
    id int PRIMARY KEY,
    status text,
    plan text NOT NULL,
    balance numeric(12,2) DEFAULT 0,
    created_at timestamp DEFAULT CURRENT_TIMESTAMP
);
