-- Commerce: server-side carts, coupons, orders with snapshotted items, their status
-- history, and the counter behind gap-free human order numbers.

CREATE TABLE cart_items (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_type        TEXT NOT NULL CHECK (item_type IN ('product', 'course')),
    item_id          TEXT NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    -- The unit price the buyer last saw (cart view or add), to flag price changes at checkout.
    price_seen_cents INTEGER NOT NULL CHECK (price_seen_cents >= 0),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (user_id, item_type, item_id)
);

-- Codes are stored upper-cased, so uniqueness is case-insensitive.
CREATE TABLE coupons (
    id                       TEXT PRIMARY KEY,
    code                     TEXT NOT NULL UNIQUE,
    percent                  INTEGER CHECK (percent IS NULL OR percent BETWEEN 1 AND 100),
    fixed_cents              INTEGER CHECK (fixed_cents IS NULL OR fixed_cents > 0),
    min_subtotal_cents       INTEGER CHECK (min_subtotal_cents IS NULL OR min_subtotal_cents >= 0),
    scope                    TEXT NOT NULL DEFAULT 'all' CHECK (scope IN ('all', 'products', 'courses', 'items')),
    -- JSON array of item ids when scope = 'items'.
    scope_item_ids           TEXT,
    starts_at                TEXT,
    expires_at               TEXT,
    max_redemptions          INTEGER CHECK (max_redemptions IS NULL OR max_redemptions >= 1),
    max_redemptions_per_user INTEGER CHECK (max_redemptions_per_user IS NULL OR max_redemptions_per_user >= 1),
    created_at               TEXT NOT NULL,
    updated_at               TEXT NOT NULL,
    CHECK ((percent IS NULL) <> (fixed_cents IS NULL))
);

-- One row per paid order that used a coupon.
CREATE TABLE coupon_redemptions (
    coupon_id   TEXT NOT NULL REFERENCES coupons (id) ON DELETE CASCADE,
    order_id    TEXT NOT NULL UNIQUE,
    user_id     TEXT NOT NULL,
    redeemed_at TEXT NOT NULL
);
CREATE INDEX coupon_redemptions_coupon ON coupon_redemptions (coupon_id, user_id);

-- Named counters advanced inside the writing transaction (rolled back with it: no gaps).
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('order_number', 0);

CREATE TABLE orders (
    id               TEXT PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    user_id          TEXT NOT NULL REFERENCES users (id),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'fulfilled', 'shipped', 'delivered', 'cancelled', 'refunded', 'partially_refunded')),
    currency         TEXT NOT NULL,
    subtotal_cents   INTEGER NOT NULL CHECK (subtotal_cents >= 0),
    discount_cents   INTEGER NOT NULL CHECK (discount_cents >= 0),
    tax_cents        INTEGER NOT NULL CHECK (tax_cents >= 0),
    shipping_cents   INTEGER NOT NULL CHECK (shipping_cents >= 0),
    total_cents      INTEGER NOT NULL CHECK (total_cents >= 0),
    prices_include_tax INTEGER NOT NULL CHECK (prices_include_tax IN (0, 1)),
    coupon_id        TEXT REFERENCES coupons (id) ON DELETE SET NULL,
    coupon_code      TEXT,
    shipping_method  TEXT,
    -- JSON {name, line1, line2, city, postal_code, country} when physical items are present.
    shipping_address TEXT,
    billing_country  TEXT,
    tracking_number  TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    paid_at          TEXT
);
CREATE INDEX orders_user ON orders (user_id, created_at);
CREATE INDEX orders_status ON orders (status, created_at);
CREATE INDEX orders_created ON orders (created_at);

CREATE TABLE order_items (
    id               TEXT PRIMARY KEY,
    order_id         TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    item_type        TEXT NOT NULL CHECK (item_type IN ('product', 'course')),
    item_kind        TEXT NOT NULL CHECK (item_kind IN ('physical_product', 'digital_product', 'course')),
    item_id          TEXT NOT NULL,
    name             TEXT NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity >= 1),
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    discount_cents   INTEGER NOT NULL CHECK (discount_cents >= 0),
    tax_cents        INTEGER NOT NULL CHECK (tax_cents >= 0),
    tax_rate_bps     INTEGER NOT NULL CHECK (tax_rate_bps >= 0),
    total_cents      INTEGER NOT NULL CHECK (total_cents >= 0),
    -- The product's vendor or the course's instructor.
    vendor_id        TEXT,
    position         INTEGER NOT NULL
);
CREATE INDEX order_items_order ON order_items (order_id, position);
CREATE INDEX order_items_vendor ON order_items (vendor_id, item_type);
CREATE INDEX order_items_item ON order_items (item_type, item_id);

CREATE TABLE order_events (
    id          TEXT PRIMARY KEY,
    order_id    TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    actor_id    TEXT,
    note        TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, created_at);
