-- note moves before kind, code to the front, a new column goes between; item_tags' columns swap.
CREATE TABLE items (
    code char(3) NOT NULL,
    id int PRIMARY KEY,
    note varchar(100) NULL,
    added varchar(10) NULL,
    kind varchar(20) NOT NULL,
    price int NOT NULL DEFAULT 0
);
CREATE TABLE item_tags (
    tag varchar(20) NOT NULL,
    item_id int NOT NULL,
    PRIMARY KEY (item_id, tag),
    CONSTRAINT item_tags_item FOREIGN KEY (item_id) REFERENCES items (id)
);
