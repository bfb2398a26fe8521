-- Performance (issue 11): an order event's id was a UUID that nothing reads (events are
-- listed by order in insertion order, and no API shows their ids), yet its unique index
-- cost every status change a B-tree write. The table is rebuilt with an integer key, the
-- events kept in their order, and its index on the order alone lists an order's events in
-- that order without sorting them. Nothing references order_events, so dropping the old
-- table cascades nowhere.
CREATE TABLE order_events_new (
    id          INTEGER PRIMARY KEY,
    order_id    TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    actor_id    TEXT,
    note        TEXT,
    created_at  TEXT NOT NULL
);
INSERT INTO order_events_new (order_id, from_status, to_status, actor_id, note, created_at)
    SELECT order_id, from_status, to_status, actor_id, note, created_at
    FROM order_events ORDER BY rowid;
DROP TABLE order_events;
ALTER TABLE order_events_new RENAME TO order_events;
CREATE INDEX order_events_order ON order_events (order_id);
