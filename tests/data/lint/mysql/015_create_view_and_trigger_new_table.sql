-- strata:lock-timeout 5s
CREATE TABLE coupon_redemptions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  coupon_code VARCHAR(32) NOT NULL,
  order_id BIGINT UNSIGNED NOT NULL,
  redeemed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE VIEW recent_redemptions AS
  SELECT coupon_code, COUNT(*) AS uses FROM coupon_redemptions
  WHERE redeemed_at > NOW() - INTERVAL 30 DAY GROUP BY coupon_code;
