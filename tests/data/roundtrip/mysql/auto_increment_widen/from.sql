CREATE TABLE orders (
    id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
    label varchar(20) NOT NULL
);
CREATE TABLE order_lines (
    id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_id int NOT NULL,
    qty int NOT NULL,
    CONSTRAINT order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id)
);
