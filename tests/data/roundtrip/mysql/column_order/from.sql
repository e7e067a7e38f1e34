CREATE TABLE items (
    id int PRIMARY KEY,
    kind varchar(20) NOT NULL,
    note varchar(100) NULL,
    price int NOT NULL DEFAULT 0,
    code char(3) NOT NULL
);
CREATE TABLE item_tags (
    item_id int NOT NULL,
    tag varchar(20) NOT NULL,
    PRIMARY KEY (item_id, tag),
    CONSTRAINT item_tags_item FOREIGN KEY (item_id) REFERENCES items (id)
);
