CREATE TABLE t (id INTEGER PRIMARY KEY, mail TEXT, nick TEXT);
CREATE UNIQUE INDEX t_mail ON t (mail);
CREATE INDEX t_nick_lower ON t (lower(nick)) WHERE nick IS NOT NULL;
