-- Issue 25: PayPal as a second online gateway. `payments.gateway` may now be 'paypal'; the
-- CHECK is changed in place the way V21 changed the others (edit the table's SQL, reload the
-- schema), so no row is rewritten and no child table is touched.
PRAGMA writable_schema = ON;

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (gateway IN (''stripe'', ''manual''))',
    'CHECK (gateway = ''stripe'' OR gateway = ''manual'' OR gateway = ''paypal'')')
WHERE type = 'table' AND name = 'payments';

PRAGMA writable_schema = RESET;

-- What PayPal knows of a payment beyond its order id (kept in `payments.transaction_id`):
-- the capture that holds the money (refunds go through it), and the approval link the buyer
-- is sent to.
CREATE TABLE paypal_payments (
    payment_id      TEXT PRIMARY KEY REFERENCES payments (id),
    paypal_order_id TEXT NOT NULL UNIQUE,
    approve_url     TEXT NOT NULL,
    capture_id      TEXT UNIQUE,
    capture_status  TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
