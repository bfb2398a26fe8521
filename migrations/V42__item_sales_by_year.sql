-- Issue 32: a year's best sellers read one row per item from a year level of the item
-- rollups instead of twelve monthly rows (600,000 rows for 50,000 products in a year).
-- The triggers of V39 that keep the daily and monthly rows keep the yearly ones in the
-- same statements' transaction, on every path that writes an order or an order line; they
-- are recreated below with one more statement each. `schoolhouse analytics rebuild`
-- recomputes the years with the rest. (A trigger on the monthly rows would have done it
-- too, but it makes SQLite stage every INSERT ... SELECT into them in a temporary table.)

CREATE TABLE item_sales_by_year (
    item_type     TEXT NOT NULL,
    year          TEXT NOT NULL,
    item_id       TEXT NOT NULL,
    units         INTEGER NOT NULL DEFAULT 0,
    revenue_cents INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (item_type, year, item_id)
) WITHOUT ROWID;

INSERT INTO item_sales_by_year (item_type, year, item_id, units, revenue_cents)
SELECT item_type, substr(month, 1, 4), item_id, SUM(units), SUM(revenue_cents)
FROM item_sales_by_month GROUP BY 1, 2, 3;

DROP TRIGGER item_sales_order_added;
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
    INSERT INTO item_sales_by_year (item_type, year, item_id, units, revenue_cents)
    SELECT item_type, substr(NEW.paid_at, 1, 4), item_id, quantity, total_cents
    FROM order_items WHERE order_id = NEW.id AND true
    ON CONFLICT DO UPDATE SET units = units + excluded.units,
        revenue_cents = revenue_cents + excluded.revenue_cents;
END;

DROP TRIGGER item_sales_order_left;
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
    UPDATE item_sales_by_year SET
        units = units - (SELECT SUM(i.quantity) FROM order_items i WHERE i.order_id = OLD.id
            AND i.item_type = item_sales_by_year.item_type
            AND i.item_id = item_sales_by_year.item_id),
        revenue_cents = revenue_cents - (SELECT SUM(i.total_cents) FROM order_items i
            WHERE i.order_id = OLD.id AND i.item_type = item_sales_by_year.item_type
            AND i.item_id = item_sales_by_year.item_id)
    WHERE year = substr(OLD.paid_at, 1, 4) AND (item_type, item_id) IN
        (SELECT item_type, item_id FROM order_items WHERE order_id = OLD.id);
END;

DROP TRIGGER item_sales_order_entered;
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
    INSERT INTO item_sales_by_year (item_type, year, item_id, units, revenue_cents)
    SELECT item_type, substr(NEW.paid_at, 1, 4), item_id, quantity, total_cents
    FROM order_items WHERE order_id = NEW.id AND true
    ON CONFLICT DO UPDATE SET units = units + excluded.units,
        revenue_cents = revenue_cents + excluded.revenue_cents;
END;

DROP TRIGGER item_sales_line_added;
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
    INSERT INTO item_sales_by_year (item_type, year, item_id, units, revenue_cents)
    SELECT NEW.item_type, substr(o.paid_at, 1, 4), NEW.item_id, NEW.quantity, NEW.total_cents
    FROM orders o WHERE o.id = NEW.order_id AND true
    ON CONFLICT DO UPDATE SET units = units + excluded.units,
        revenue_cents = revenue_cents + excluded.revenue_cents;
END;

DROP TRIGGER item_sales_line_deleted;
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
    UPDATE item_sales_by_year SET units = units - OLD.quantity,
        revenue_cents = revenue_cents - OLD.total_cents
    WHERE item_type = OLD.item_type AND item_id = OLD.item_id
        AND year = (SELECT substr(paid_at, 1, 4) FROM orders WHERE id = OLD.order_id);
END;
