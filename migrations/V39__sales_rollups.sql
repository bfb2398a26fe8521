-- Issue 32: the admin sales reports read rollups instead of every order of the range.
-- Each rollup is kept by triggers in the same transaction as the order, order line or
-- refund write that changes it, on every path (checkout, payment, webhook, staff, CLI,
-- background jobs), and `schoolhouse analytics rebuild` recomputes them from the orders.
-- `analytics::rollups` tests that they reconcile to the cent with a full recomputation.
--
-- An order counts in the sales by day from its paid day once paid (`paid_at` set and no
-- longer pending), cancelled ones included, as the live report counts them. Its lines count
-- in the items' rollups while the order is sold (paid and neither pending nor cancelled).
-- A refund counts on the day its money went back, when processed and asked for (`request`).

CREATE TABLE sales_by_day (
    day           TEXT PRIMARY KEY,
    gross_cents   INTEGER NOT NULL DEFAULT 0,
    orders        INTEGER NOT NULL DEFAULT 0,
    refunds_cents INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Units and revenue of each product, course and bundle sold, by paid day and by paid month
-- (`YYYY-MM`): a year's top list reads twelve months, and the days at its ends.
CREATE TABLE item_sales_by_day (
    item_type     TEXT NOT NULL,
    day           TEXT NOT NULL,
    item_id       TEXT NOT NULL,
    units         INTEGER NOT NULL DEFAULT 0,
    revenue_cents INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (item_type, day, item_id)
) WITHOUT ROWID;

CREATE TABLE item_sales_by_month (
    item_type     TEXT NOT NULL,
    month         TEXT NOT NULL,
    item_id       TEXT NOT NULL,
    units         INTEGER NOT NULL DEFAULT 0,
    revenue_cents INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (item_type, month, item_id)
) WITHOUT ROWID;

-- Orders: sales by day.
CREATE TRIGGER sales_by_day_order_added AFTER INSERT ON orders
WHEN NEW.paid_at IS NOT NULL AND NEW.status <> 'pending'
BEGIN
    INSERT INTO sales_by_day (day, gross_cents, orders)
    VALUES (substr(NEW.paid_at, 1, 10), NEW.total_cents, 1)
    ON CONFLICT (day) DO UPDATE SET gross_cents = gross_cents + excluded.gross_cents,
        orders = orders + 1;
END;

CREATE TRIGGER sales_by_day_order_left AFTER UPDATE OF status, paid_at, total_cents ON orders
WHEN OLD.paid_at IS NOT NULL AND OLD.status <> 'pending'
    AND NOT (NEW.paid_at IS OLD.paid_at AND NEW.total_cents = OLD.total_cents
        AND NEW.status <> 'pending')
BEGIN
    UPDATE sales_by_day SET gross_cents = gross_cents - OLD.total_cents, orders = orders - 1
    WHERE day = substr(OLD.paid_at, 1, 10);
END;

CREATE TRIGGER sales_by_day_order_entered AFTER UPDATE OF status, paid_at, total_cents ON orders
WHEN NEW.paid_at IS NOT NULL AND NEW.status <> 'pending'
    AND NOT (OLD.paid_at IS NEW.paid_at AND OLD.total_cents = NEW.total_cents
        AND OLD.status <> 'pending')
BEGIN
    INSERT INTO sales_by_day (day, gross_cents, orders)
    VALUES (substr(NEW.paid_at, 1, 10), NEW.total_cents, 1)
    ON CONFLICT (day) DO UPDATE SET gross_cents = gross_cents + excluded.gross_cents,
        orders = orders + 1;
END;

CREATE TRIGGER sales_by_day_order_deleted AFTER DELETE ON orders
WHEN OLD.paid_at IS NOT NULL AND OLD.status <> 'pending'
BEGIN
    UPDATE sales_by_day SET gross_cents = gross_cents - OLD.total_cents, orders = orders - 1
    WHERE day = substr(OLD.paid_at, 1, 10);
END;

-- Refunds: sales by day.
CREATE TRIGGER sales_by_day_refund_added AFTER INSERT ON refunds
WHEN NEW.status = 'processed' AND NEW.kind = 'request'
BEGIN
    INSERT INTO sales_by_day (day, refunds_cents)
    VALUES (substr(COALESCE(NEW.processed_at, NEW.updated_at), 1, 10), NEW.amount_cents)
    ON CONFLICT (day) DO UPDATE SET refunds_cents = refunds_cents + excluded.refunds_cents;
END;

CREATE TRIGGER sales_by_day_refund_left
AFTER UPDATE OF status, kind, amount_cents, processed_at, updated_at ON refunds
WHEN OLD.status = 'processed' AND OLD.kind = 'request'
    AND NOT (NEW.status = 'processed' AND NEW.kind = 'request'
        AND NEW.amount_cents = OLD.amount_cents
        AND substr(COALESCE(NEW.processed_at, NEW.updated_at), 1, 10)
            = substr(COALESCE(OLD.processed_at, OLD.updated_at), 1, 10))
BEGIN
    UPDATE sales_by_day SET refunds_cents = refunds_cents - OLD.amount_cents
    WHERE day = substr(COALESCE(OLD.processed_at, OLD.updated_at), 1, 10);
END;

CREATE TRIGGER sales_by_day_refund_entered
AFTER UPDATE OF status, kind, amount_cents, processed_at, updated_at ON refunds
WHEN NEW.status = 'processed' AND NEW.kind = 'request'
    AND NOT (OLD.status = 'processed' AND OLD.kind = 'request'
        AND OLD.amount_cents = NEW.amount_cents
        AND substr(COALESCE(OLD.processed_at, OLD.updated_at), 1, 10)
            = substr(COALESCE(NEW.processed_at, NEW.updated_at), 1, 10))
BEGIN
    INSERT INTO sales_by_day (day, refunds_cents)
    VALUES (substr(COALESCE(NEW.processed_at, NEW.updated_at), 1, 10), NEW.amount_cents)
    ON CONFLICT (day) DO UPDATE SET refunds_cents = refunds_cents + excluded.refunds_cents;
END;

CREATE TRIGGER sales_by_day_refund_deleted AFTER DELETE ON refunds
WHEN OLD.status = 'processed' AND OLD.kind = 'request'
BEGIN
    UPDATE sales_by_day SET refunds_cents = refunds_cents - OLD.amount_cents
    WHERE day = substr(COALESCE(OLD.processed_at, OLD.updated_at), 1, 10);
END;

-- Orders: their lines in the items' rollups while the order is sold. (`WHERE true` tells
-- SQLite's parser that ON CONFLICT belongs to the INSERT, not to the SELECT's join.)
CREATE TRIGGER item_sales_order_added AFTER INSERT ON orders
WHEN NEW.paid_at IS NOT NULL AND NEW.status NOT IN ('pending', 'cancelled')
BEGIN
    INSERT INTO item_sales_by_day (item_type, day, item_id, units, revenue_cents)
    SELECT item_type, substr(NEW.paid_at, 1, 10), item_id, quantity, total_cents
    FROM order_items WHERE order_id = NEW.id AND true
    ON CONFLICT DO UPDATE SET units = units + excluded.units,
        revenue_cents = revenue_cents + excluded.revenue_cents;
    INSERT INTO item_sales_by_month (item_type, month, item_id, units, revenue_cents)
    SELECT item_type, substr(NEW.paid_at, 1, 7), item_id, quantity, total_cents
    FROM order_items WHERE order_id = NEW.id AND true
    ON CONFLICT DO UPDATE SET units = units + excluded.units,
        revenue_cents = revenue_cents + excluded.revenue_cents;
END;

CREATE TRIGGER item_sales_order_left AFTER UPDATE OF status, paid_at ON orders
WHEN OLD.paid_at IS NOT NULL AND OLD.status NOT IN ('pending', 'cancelled')
    AND NOT (NEW.paid_at IS OLD.paid_at AND NEW.status NOT IN ('pending', 'cancelled'))
BEGIN
    UPDATE item_sales_by_day SET
        units = units - (SELECT SUM(i.quantity) FROM order_items i WHERE i.order_id = OLD.id
            AND i.item_type = item_sales_by_day.item_type
            AND i.item_id = item_sales_by_day.item_id),
        revenue_cents = revenue_cents - (SELECT SUM(i.total_cents) FROM order_items i
            WHERE i.order_id = OLD.id AND i.item_type = item_sales_by_day.item_type
            AND i.item_id = item_sales_by_day.item_id)
    WHERE day = substr(OLD.paid_at, 1, 10) AND (item_type, item_id) IN
        (SELECT item_type, item_id FROM order_items WHERE order_id = OLD.id);
    UPDATE item_sales_by_month SET
        units = units - (SELECT SUM(i.quantity) FROM order_items i WHERE i.order_id = OLD.id
            AND i.item_type = item_sales_by_month.item_type
            AND i.item_id = item_sales_by_month.item_id),
        revenue_cents = revenue_cents - (SELECT SUM(i.total_cents) FROM order_items i
            WHERE i.order_id = OLD.id AND i.item_type = item_sales_by_month.item_type
            AND i.item_id = item_sales_by_month.item_id)
    WHERE month = substr(OLD.paid_at, 1, 7) AND (item_type, item_id) IN
        (SELECT item_type, item_id FROM order_items WHERE order_id = OLD.id);
END;

CREATE TRIGGER item_sales_order_entered AFTER UPDATE OF status, paid_at ON orders
WHEN NEW.paid_at IS NOT NULL AND NEW.status NOT IN ('pending', 'cancelled')
    AND NOT (OLD.paid_at IS NEW.paid_at AND OLD.status NOT IN ('pending', 'cancelled'))
BEGIN
    INSERT INTO item_sales_by_day (item_type, day, item_id, units, revenue_cents)
    SELECT item_type, substr(NEW.paid_at, 1, 10), item_id, quantity, total_cents
    FROM order_items WHERE order_id = NEW.id AND true
    ON CONFLICT DO UPDATE SET units = units + excluded.units,
        revenue_cents = revenue_cents + excluded.revenue_cents;
    INSERT INTO item_sales_by_month (item_type, month, item_id, units, revenue_cents)
    SELECT item_type, substr(NEW.paid_at, 1, 7), item_id, quantity, total_cents
    FROM order_items WHERE order_id = NEW.id AND true
    ON CONFLICT DO UPDATE SET units = units + excluded.units,
        revenue_cents = revenue_cents + excluded.revenue_cents;
END;

-- Before the order goes, while its lines are still there to subtract.
CREATE TRIGGER item_sales_order_deleted BEFORE DELETE ON orders
WHEN OLD.paid_at IS NOT NULL AND OLD.status NOT IN ('pending', 'cancelled')
BEGIN
    DELETE FROM order_items WHERE order_id = OLD.id;
END;

-- Lines written or removed while their order is sold.
CREATE TRIGGER item_sales_line_added AFTER INSERT ON order_items
WHEN EXISTS (SELECT 1 FROM orders o WHERE o.id = NEW.order_id AND o.paid_at IS NOT NULL
    AND o.status NOT IN ('pending', 'cancelled'))
BEGIN
    INSERT INTO item_sales_by_day (item_type, day, item_id, units, revenue_cents)
    SELECT NEW.item_type, substr(o.paid_at, 1, 10), NEW.item_id, NEW.quantity, NEW.total_cents
    FROM orders o WHERE o.id = NEW.order_id AND true
    ON CONFLICT DO UPDATE SET units = units + excluded.units,
        revenue_cents = revenue_cents + excluded.revenue_cents;
    INSERT INTO item_sales_by_month (item_type, month, item_id, units, revenue_cents)
    SELECT NEW.item_type, substr(o.paid_at, 1, 7), NEW.item_id, NEW.quantity, NEW.total_cents
    FROM orders o WHERE o.id = NEW.order_id AND true
    ON CONFLICT DO UPDATE SET units = units + excluded.units,
        revenue_cents = revenue_cents + excluded.revenue_cents;
END;

CREATE TRIGGER item_sales_line_deleted AFTER DELETE ON order_items
WHEN EXISTS (SELECT 1 FROM orders o WHERE o.id = OLD.order_id AND o.paid_at IS NOT NULL
    AND o.status NOT IN ('pending', 'cancelled'))
BEGIN
    UPDATE item_sales_by_day SET units = units - OLD.quantity,
        revenue_cents = revenue_cents - OLD.total_cents
    WHERE item_type = OLD.item_type AND item_id = OLD.item_id
        AND day = (SELECT substr(paid_at, 1, 10) FROM orders WHERE id = OLD.order_id);
    UPDATE item_sales_by_month SET units = units - OLD.quantity,
        revenue_cents = revenue_cents - OLD.total_cents
    WHERE item_type = OLD.item_type AND item_id = OLD.item_id
        AND month = (SELECT substr(paid_at, 1, 7) FROM orders WHERE id = OLD.order_id);
END;

CREATE TRIGGER item_sales_line_changed
AFTER UPDATE OF item_type, item_id, quantity, total_cents, order_id ON order_items
WHEN EXISTS (SELECT 1 FROM orders o WHERE o.id IN (OLD.order_id, NEW.order_id)
    AND o.paid_at IS NOT NULL AND o.status NOT IN ('pending', 'cancelled'))
BEGIN
    SELECT RAISE(ABORT, 'the lines of a sold order do not change');
END;

-- The rollups of the orders and refunds already there (what `analytics rebuild` computes).
INSERT INTO sales_by_day (day, gross_cents, orders)
SELECT substr(paid_at, 1, 10), SUM(total_cents), COUNT(*) FROM orders
WHERE paid_at IS NOT NULL AND status <> 'pending' GROUP BY 1;
INSERT INTO sales_by_day (day, refunds_cents)
SELECT substr(COALESCE(processed_at, updated_at), 1, 10), SUM(amount_cents) FROM refunds
WHERE status = 'processed' AND kind = 'request' GROUP BY 1
ON CONFLICT (day) DO UPDATE SET refunds_cents = excluded.refunds_cents;
INSERT INTO item_sales_by_day (item_type, day, item_id, units, revenue_cents)
SELECT i.item_type, substr(o.paid_at, 1, 10), i.item_id, SUM(i.quantity), SUM(i.total_cents)
FROM order_items i JOIN orders o ON o.id = i.order_id
WHERE o.paid_at IS NOT NULL AND o.status NOT IN ('pending', 'cancelled') GROUP BY 1, 2, 3;
INSERT INTO item_sales_by_month (item_type, month, item_id, units, revenue_cents)
SELECT item_type, substr(day, 1, 7), item_id, SUM(units), SUM(revenue_cents)
FROM item_sales_by_day GROUP BY 1, 2, 3;
