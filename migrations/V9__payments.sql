-- Payments: attempts to pay an order through a gateway, the ledger of gateway events
-- (a duplicate delivery is a no-op), and refund requests with the order items they cover.

CREATE TABLE payments (
    id              TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL REFERENCES orders (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    gateway         TEXT NOT NULL CHECK (gateway IN ('stripe', 'manual')),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'failed', 'refunded', 'partially_refunded')),
    amount_cents    INTEGER NOT NULL CHECK (amount_cents >= 0),
    currency        TEXT NOT NULL,
    -- Money actually paid back through processed refunds.
    refunded_cents  INTEGER NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0 AND refunded_cents <= amount_cents),
    -- The gateway's id for the attempt (Stripe PaymentIntent id); NULL until the gateway answered.
    transaction_id  TEXT UNIQUE,
    client_secret   TEXT,
    failure_message TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    completed_at    TEXT
);
CREATE INDEX payments_order ON payments (order_id, created_at);
CREATE INDEX payments_status ON payments (status, gateway, created_at);
-- At most one attempt in flight per order.
CREATE UNIQUE INDEX payments_one_pending ON payments (order_id) WHERE status = 'pending';

-- Every gateway event received, by the gateway's event id, written in the same
-- transaction as its effect.
CREATE TABLE payment_events (
    id          TEXT PRIMARY KEY,
    type        TEXT NOT NULL,
    payment_id  TEXT,
    refund_id   TEXT,
    outcome     TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX payment_events_payment ON payment_events (payment_id);

CREATE TABLE refunds (
    id                TEXT PRIMARY KEY,
    order_id          TEXT NOT NULL REFERENCES orders (id),
    payment_id        TEXT NOT NULL REFERENCES payments (id),
    user_id           TEXT NOT NULL REFERENCES users (id),
    status            TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'processed', 'return_requested', 'return_received', 'failed')),
    amount_cents      INTEGER NOT NULL CHECK (amount_cents > 0),
    reason            TEXT NOT NULL,
    -- JSON {eligible, reasons: [...], return_required} as decided when requested.
    eligibility       TEXT NOT NULL,
    -- The gateway's refund id (Stripe re_...) once created.
    gateway_refund_id TEXT UNIQUE,
    failure_message   TEXT,
    decided_by        TEXT REFERENCES users (id),
    decision_note     TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    processed_at      TEXT
);
CREATE INDEX refunds_order ON refunds (order_id);
CREATE INDEX refunds_status ON refunds (status, created_at);
CREATE INDEX refunds_user ON refunds (user_id, created_at);

CREATE TABLE refund_items (
    refund_id     TEXT NOT NULL REFERENCES refunds (id) ON DELETE CASCADE,
    order_item_id TEXT NOT NULL REFERENCES order_items (id),
    PRIMARY KEY (refund_id, order_item_id)
);
