-- strata:lock-timeout 5s
CREATE TABLE tags (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  UNIQUE KEY tags_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE post_tags (
  post_id BIGINT UNSIGNED NOT NULL,
  tag_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (post_id, tag_id),
  CONSTRAINT post_tags_tag FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE INDEX post_tags_tag ON post_tags (tag_id);
ALTER TABLE post_tags ADD COLUMN created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP;

INSERT INTO tags (name) VALUES ('news'), ('release'), ('howto');

ALTER TABLE posts ADD COLUMN primary_tag_id BIGINT UNSIGNED NULL, ALGORITHM=INSTANT;
