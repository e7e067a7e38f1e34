CREATE TABLE t (
    id INTEGER PRIMARY KEY,
    email TEXT, -- strata:renamed-from mail
    -- strata:renamed-from nick
    nickname TEXT
);
CREATE UNIQUE INDEX t_mail ON t (email);
CREATE INDEX t_nick_lower ON t (lower(nickname)) WHERE nickname IS NOT NULL;
