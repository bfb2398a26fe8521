-- Issue 23: reading a pending Stripe payment re-checks it at Stripe at most once per
-- `payments.recheck_interval_seconds`. The last check is kept on the payment so the claim
-- to make the next one is taken in the single write transaction (parallel readers cannot
-- all call Stripe), follows the application clock, and survives a restart.
ALTER TABLE payments ADD COLUMN checked_at TEXT;
