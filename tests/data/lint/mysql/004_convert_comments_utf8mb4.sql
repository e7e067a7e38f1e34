-- strata:lock-timeout 5s
-- Emoji in comments were stored as '?': convert the table.
ALTER TABLE comments CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci;
