-- Digital downloads by buyers (the first one per order item: a downloaded item is no longer
-- refundable), and refunds of money that arrived for an order that could not take it.

CREATE TABLE downloads (
    order_item_id      TEXT PRIMARY KEY REFERENCES order_items (id),
    user_id            TEXT NOT NULL REFERENCES users (id),
    first_downloaded_at TEXT NOT NULL
);

-- 'request': asked for by the buyer or staff; 'unpayable_order': sent back automatically
-- because the order was cancelled (or already paid) when the money arrived.
ALTER TABLE refunds ADD COLUMN kind TEXT NOT NULL DEFAULT 'request'
    CHECK (kind IN ('request', 'unpayable_order'));
