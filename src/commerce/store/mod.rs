//! SQL for commerce: catalogue lookups, stock, counters; carts, coupons and orders below.

pub mod bundle_lines;
pub mod cart;
pub mod coupons;
pub mod downloads;
pub mod holds;
pub mod orders;

use rusqlite::{Connection, OptionalExtension, params};

use super::model::{CatalogItem, ItemType};
use super::pricing::ItemKind;

/// The product or course a cart line refers to, if it still exists.
pub fn catalog_item(
    conn: &Connection,
    item_type: ItemType,
    id: &str,
) -> rusqlite::Result<Option<CatalogItem>> {
    match item_type {
        ItemType::Product => conn
            .prepare_cached(
                "SELECT id, name, kind, price_cents, status, stock_quantity, vendor_id
                 FROM products WHERE id = ?1",
            )?
            .query_row([id], |r| {
                let kind: String = r.get(2)?;
                Ok(CatalogItem {
                    item_type,
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: if kind == "physical" {
                        ItemKind::PhysicalProduct
                    } else {
                        ItemKind::DigitalProduct
                    },
                    price_cents: r.get(3)?,
                    status: r.get(4)?,
                    stock: r.get(5)?,
                    vendor_id: r.get(6)?,
                    ships: i64::from(kind == "physical"),
                })
            })
            .optional(),
        ItemType::Course => conn
            .prepare_cached(
                "SELECT id, title, price_cents, status, instructor_id FROM courses WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(CatalogItem {
                    item_type,
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: ItemKind::Course,
                    price_cents: r.get(2)?,
                    status: r.get(3)?,
                    stock: None,
                    vendor_id: r.get(4)?,
                    ships: 0,
                })
            })
            .optional(),
        ItemType::Bundle => conn
            .prepare_cached(
                "SELECT id, name, price_cents, status, owner_id,
                    (SELECT count(*) FROM bundle_products bp JOIN products p ON p.id = bp.product_id
                      WHERE bp.bundle_id = bundles.id AND p.kind = 'physical')
                 FROM bundles WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(CatalogItem {
                    item_type,
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: ItemKind::Bundle,
                    price_cents: r.get(2)?,
                    status: r.get(3)?,
                    stock: None,
                    vendor_id: r.get(4)?,
                    ships: r.get(5)?,
                })
            })
            .optional(),
    }
}

/// How a bundle's courses stand for a buyer: how many it holds, how many of them are not
/// published, and how many the buyer is already enrolled in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BundleCourses {
    pub total: i64,
    pub unpublished: i64,
    pub enrolled: i64,
}

pub fn bundle_courses(
    conn: &Connection,
    user_id: &str,
    bundle_id: &str,
) -> rusqlite::Result<BundleCourses> {
    conn.prepare_cached(
        "SELECT count(*),
                coalesce(sum(c.status <> 'published'), 0),
                coalesce(sum(EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = ?1
                     AND e.course_id = c.id AND e.status IN ('active', 'completed'))), 0)
         FROM bundle_courses b JOIN courses c ON c.id = b.course_id
         WHERE b.bundle_id = ?2",
    )?
    .query_row(params![user_id, bundle_id], |r| {
        Ok(BundleCourses {
            total: r.get(0)?,
            unpublished: r.get(1)?,
            enrolled: r.get(2)?,
        })
    })
}

/// How a bundle's products stand: how many are not published (or priced in another
/// currency than the bundle), and the smallest stock of its physical ones (`None`: none
/// counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BundleGoods {
    pub unsellable: i64,
    pub least_stock: Option<i64>,
}

pub fn bundle_goods(conn: &Connection, bundle_id: &str) -> rusqlite::Result<BundleGoods> {
    conn.prepare_cached(
        "SELECT coalesce(sum(p.status <> 'published' OR upper(p.currency) <> upper(bu.currency)), 0),
                min(CASE WHEN p.kind = 'physical' THEN p.stock_quantity END)
         FROM bundle_products b JOIN products p ON p.id = b.product_id
         JOIN bundles bu ON bu.id = b.bundle_id
         WHERE b.bundle_id = ?1",
    )?
    .query_row([bundle_id], |r| {
        Ok(BundleGoods {
            unsellable: r.get(0)?,
            least_stock: r.get(1)?,
        })
    })
}

/// A product a bundle includes, as an order line of it needs it.
#[derive(Debug, Clone)]
pub struct BundleGood {
    pub product_id: String,
    pub name: String,
    pub kind: ItemKind,
    pub vendor_id: String,
}

/// The products `bundle_id` includes now, in its order.
pub fn bundle_goods_list(conn: &Connection, bundle_id: &str) -> rusqlite::Result<Vec<BundleGood>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.name, p.kind, p.vendor_id
         FROM bundle_products b JOIN products p ON p.id = b.product_id
         WHERE b.bundle_id = ?1 ORDER BY b.position",
    )?;
    let rows = stmt.query_map([bundle_id], |r| {
        let kind: String = r.get(2)?;
        Ok(BundleGood {
            product_id: r.get(0)?,
            name: r.get(1)?,
            kind: if kind == "physical" {
                ItemKind::PhysicalProduct
            } else {
                ItemKind::DigitalProduct
            },
            vendor_id: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Whether the user holds an active or completed enrolment in the course.
pub fn is_enrolled(conn: &Connection, user_id: &str, course_id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM enrollments WHERE user_id = ?1 AND course_id = ?2
                        AND status IN ('active', 'completed'))",
    )?
    .query_row(params![user_id, course_id], |r| r.get(0))
}

/// Takes `quantity` units from a product's stock unless that would go below zero
/// (unlimited stock, NULL, always succeeds). Returns false when there was not enough.
pub fn reserve_stock(conn: &Connection, product_id: &str, quantity: i64) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE products SET stock_quantity = stock_quantity - ?2
             WHERE id = ?1 AND (stock_quantity IS NULL OR stock_quantity >= ?2)",
        )?
        .execute(params![product_id, quantity])?;
    Ok(changed == 1)
}

/// Puts reserved units back (no-op for unlimited stock or a deleted product).
pub fn release_stock(conn: &Connection, product_id: &str, quantity: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE products SET stock_quantity = stock_quantity + ?2
         WHERE id = ?1 AND stock_quantity IS NOT NULL",
    )?
    .execute(params![product_id, quantity])?;
    Ok(())
}

/// The product's current stock (`None` inside: unlimited; outer `None`: no such product).
pub fn stock_of(conn: &Connection, product_id: &str) -> rusqlite::Result<Option<Option<i64>>> {
    conn.prepare_cached("SELECT stock_quantity FROM products WHERE id = ?1")?
        .query_row([product_id], |r| r.get(0))
        .optional()
}

/// Counts units sold on the product once its order is paid.
pub fn add_sales(conn: &Connection, product_id: &str, quantity: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE products SET sales_count = sales_count + ?2 WHERE id = ?1")?
        .execute(params![product_id, quantity])?;
    Ok(())
}

/// Advances a named counter and returns its new value; rolled back with the transaction.
pub fn next_counter(conn: &Connection, name: &str) -> rusqlite::Result<i64> {
    // Not `RETURNING`: SQLite buffers its rows in a temporary b-tree, which costs more than
    // the second statement (measured on checkout's writer).
    conn.prepare_cached("UPDATE counters SET value = value + 1 WHERE name = ?1")?
        .execute([name])?;
    conn.prepare_cached("SELECT value FROM counters WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
}
