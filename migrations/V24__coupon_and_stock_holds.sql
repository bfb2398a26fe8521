-- Issue 23: a coupon redemption is reserved when the order is placed (in the write that
-- reserves its stock) and released when the order is cancelled, so unpaid orders count
-- against a coupon's limits. Orders placed before this held none: pending ones get theirs,
-- cancelled ones give theirs back.
INSERT INTO coupon_redemptions (coupon_id, order_id, user_id, redeemed_at)
    SELECT o.coupon_id, o.id, o.user_id, o.created_at
    FROM orders o JOIN coupons c ON c.id = o.coupon_id
    WHERE o.status = 'pending'
    ON CONFLICT (order_id) DO NOTHING;
DELETE FROM coupon_redemptions
    WHERE order_id IN (SELECT id FROM orders WHERE status = 'cancelled');

-- When staff were told that a manual-payment order's hold is about to lapse (once per order).
ALTER TABLE orders ADD COLUMN hold_reminded_at TEXT;
