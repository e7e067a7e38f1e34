CREATE TABLE t (
  id int PRIMARY KEY,
  mood enum('happy','sad','meh') NOT NULL DEFAULT 'happy',
  tags set('a','b','c')
);
