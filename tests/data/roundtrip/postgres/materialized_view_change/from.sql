CREATE TABLE sales (id int PRIMARY KEY, region text NOT NULL, amount numeric NOT NULL, sold_on date NOT NULL);
CREATE VIEW eu_sales AS SELECT * FROM sales WHERE region = 'eu';
CREATE MATERIALIZED VIEW sales_by_region AS SELECT region, sum(amount) AS total FROM sales GROUP BY region;
CREATE UNIQUE INDEX sales_by_region_region ON sales_by_region (region);
CREATE MATERIALIZED VIEW eu_daily AS SELECT sold_on, sum(amount) AS total FROM eu_sales GROUP BY sold_on;
