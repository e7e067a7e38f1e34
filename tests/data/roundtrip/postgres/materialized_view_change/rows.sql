INSERT INTO sales VALUES (1, 'eu', 10, '2025-01-01'), (2, 'us', 20, '2025-01-02');
