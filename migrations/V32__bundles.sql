-- Bundles (issue 28): a catalogue item granting several courses at one price. Cart lines and
-- order lines may name a bundle; an order line of a bundle keeps the courses it granted when
-- the order was placed, so a later change of the bundle changes neither access nor refunds.

CREATE TABLE bundles (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    currency    TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status = 'draft' OR status = 'published' OR status = 'archived'),
    -- The admin or instructor who made it; an instructor may bundle only their own courses.
    owner_id    TEXT NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX bundles_status ON bundles (status, created_at);

CREATE TABLE bundle_courses (
    bundle_id TEXT NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
    course_id TEXT NOT NULL REFERENCES courses (id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (bundle_id, course_id)
) WITHOUT ROWID;
CREATE INDEX bundle_courses_course ON bundle_courses (course_id);

-- What an order line of a bundle grants, snapshotted at checkout.
CREATE TABLE order_item_courses (
    order_item_id TEXT NOT NULL REFERENCES order_items (id) ON DELETE CASCADE,
    course_id     TEXT NOT NULL,
    PRIMARY KEY (order_item_id, course_id)
) WITHOUT ROWID;
CREATE INDEX order_item_courses_course ON order_item_courses (course_id);

-- Cart and order lines may name a bundle. The CHECK constraints change in place the way V21
-- changed them (SQLite's documented procedure; rebuilding `order_items` would cascade).
PRAGMA writable_schema = ON;

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (item_type IN (''product'', ''course''))',
    'CHECK (item_type = ''product'' OR item_type = ''course'' OR item_type = ''bundle'')')
WHERE type = 'table' AND (name = 'cart_items' OR name = 'order_items');

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (item_kind = ''physical_product'' OR item_kind = ''digital_product'' OR item_kind = ''course'')',
    'CHECK (item_kind = ''physical_product'' OR item_kind = ''digital_product'' OR item_kind = ''course'' OR item_kind = ''bundle'')')
WHERE type = 'table' AND name = 'order_items';

PRAGMA writable_schema = RESET;
