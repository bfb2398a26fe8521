//! SQL for bundles and the courses they hold.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::model::{Bundle, BundleCourseView, BundleProductView};
use super::products::ProductFact;
use super::validate::CourseFact;
use crate::http::extract::Page;

const COLUMNS: &str = "id, slug, name, description, price_cents, currency, status, owner_id, \
                       created_at, updated_at";

fn bundle(r: &Row<'_>) -> rusqlite::Result<Bundle> {
    Ok(Bundle {
        id: r.get(0)?,
        slug: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        price_cents: r.get(4)?,
        currency: r.get(5)?,
        status: r.get(6)?,
        owner_id: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
    })
}

/// A bundle by id or slug.
pub fn fetch(conn: &Connection, key: &str) -> rusqlite::Result<Option<Bundle>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM bundles WHERE id = ?1 OR slug = ?1 ORDER BY id = ?1 DESC LIMIT 1"
    ))?
    .query_row([key], bundle)
    .optional()
}

/// What a listing asks for, already checked.
pub struct ListQuery<'a> {
    /// `None`: every status (staff); `published` for the public.
    pub status: Option<&'a str>,
    /// Only bundles this user owns (an instructor's own drafts beside the published ones).
    pub owner_or_published: Option<&'a str>,
    pub words: Option<&'a str>,
    pub course_id: Option<&'a str>,
    pub page: Page,
}

/// One page of bundles, newest first, and how many match in all.
pub fn list(conn: &Connection, q: &ListQuery<'_>) -> rusqlite::Result<(Vec<Bundle>, i64)> {
    let mut clauses = vec!["1 = 1".to_string()];
    let mut args: Vec<Value> = Vec::new();
    if let Some(status) = q.status {
        args.push(Value::Text(status.into()));
        clauses.push(format!("status = ?{}", args.len()));
    }
    if let Some(owner) = q.owner_or_published {
        args.push(Value::Text(owner.into()));
        clauses.push(format!(
            "(status = 'published' OR owner_id = ?{})",
            args.len()
        ));
    }
    if let Some(words) = q.words {
        for word in words.split_whitespace().take(10) {
            let escaped = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            args.push(Value::Text(format!("%{escaped}%")));
            let n = args.len();
            clauses.push(format!(
                "(name LIKE ?{n} ESCAPE '\\' OR description LIKE ?{n} ESCAPE '\\')"
            ));
        }
    }
    if let Some(course_id) = q.course_id {
        args.push(Value::Text(course_id.into()));
        clauses.push(format!(
            "id IN (SELECT bundle_id FROM bundle_courses WHERE course_id = ?{})",
            args.len()
        ));
    }
    let filter = clauses.join(" AND ");
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM bundles WHERE {filter}"),
        params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    args.push(Value::Integer(q.page.limit()));
    args.push(Value::Integer(q.page.offset()));
    let n = args.len();
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM bundles WHERE {filter}
         ORDER BY created_at DESC, id DESC LIMIT ?{} OFFSET ?{n}",
        n - 1
    ))?;
    let rows = stmt.query_map(params_from_iter(args.iter()), bundle)?;
    Ok((rows.collect::<rusqlite::Result<_>>()?, total))
}

/// The courses a bundle holds, in its order.
pub fn courses(conn: &Connection, bundle_id: &str) -> rusqlite::Result<Vec<BundleCourseView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.slug, c.title, c.price_cents, c.status
         FROM bundle_courses b JOIN courses c ON c.id = b.course_id
         WHERE b.bundle_id = ?1 ORDER BY b.position",
    )?;
    let rows = stmt.query_map([bundle_id], |r| {
        Ok(BundleCourseView {
            id: r.get(0)?,
            slug: r.get(1)?,
            title: r.get(2)?,
            price_cents: r.get(3)?,
            status: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// The products a bundle includes, in its order.
pub fn products(conn: &Connection, bundle_id: &str) -> rusqlite::Result<Vec<BundleProductView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.slug, p.name, p.kind, p.price_cents, p.status, p.stock_quantity
         FROM bundle_products b JOIN products p ON p.id = b.product_id
         WHERE b.bundle_id = ?1 ORDER BY b.position",
    )?;
    let rows = stmt.query_map([bundle_id], |r| {
        Ok(BundleProductView {
            id: r.get(0)?,
            slug: r.get(1)?,
            name: r.get(2)?,
            kind: r.get(3)?,
            price_cents: r.get(4)?,
            status: r.get(5)?,
            stock_quantity: r.get(6)?,
        })
    })?;
    rows.collect()
}

/// What the bundle rules need to know of each named product.
pub fn product_facts(
    conn: &Connection,
    ids: &[String],
) -> rusqlite::Result<Vec<(String, Option<ProductFact>)>> {
    let mut stmt =
        conn.prepare_cached("SELECT status, vendor_id, currency FROM products WHERE id = ?1")?;
    ids.iter()
        .map(|id| {
            let fact = stmt
                .query_row([id], |r| {
                    Ok(ProductFact {
                        status: r.get(0)?,
                        vendor_id: r.get(1)?,
                        currency: r.get(2)?,
                    })
                })
                .optional()?;
            Ok((id.clone(), fact))
        })
        .collect()
}

/// Replaces the products a bundle includes (orders already placed keep their own lines).
pub fn set_products(conn: &Connection, bundle_id: &str, ids: &[String]) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM bundle_products WHERE bundle_id = ?1")?
        .execute([bundle_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO bundle_products (bundle_id, product_id, position) VALUES (?1, ?2, ?3)",
    )?;
    for (position, id) in ids.iter().enumerate() {
        insert.execute(params![bundle_id, id, position as i64])?;
    }
    Ok(())
}

/// What the bundle rules need to know of each named course.
pub fn course_facts(
    conn: &Connection,
    ids: &[String],
) -> rusqlite::Result<Vec<(String, Option<CourseFact>)>> {
    let mut stmt =
        conn.prepare_cached("SELECT status, instructor_id FROM courses WHERE id = ?1")?;
    ids.iter()
        .map(|id| {
            let fact = stmt
                .query_row([id], |r| {
                    Ok(CourseFact {
                        status: r.get(0)?,
                        instructor_id: r.get(1)?,
                    })
                })
                .optional()?;
            Ok((id.clone(), fact))
        })
        .collect()
}

pub fn insert(conn: &Connection, b: &Bundle) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO bundles ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    ))?
    .execute(params![
        b.id,
        b.slug,
        b.name,
        b.description,
        b.price_cents,
        b.currency,
        b.status,
        b.owner_id,
        b.created_at,
        b.updated_at
    ])?;
    Ok(())
}

pub fn update(conn: &Connection, b: &Bundle) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE bundles SET slug = ?2, name = ?3, description = ?4, price_cents = ?5,
             status = ?6, updated_at = ?7 WHERE id = ?1",
    )?
    .execute(params![
        b.id,
        b.slug,
        b.name,
        b.description,
        b.price_cents,
        b.status,
        b.updated_at
    ])?;
    Ok(())
}

/// Replaces the courses a bundle holds (orders already placed keep their own snapshot).
pub fn set_courses(conn: &Connection, bundle_id: &str, ids: &[String]) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM bundle_courses WHERE bundle_id = ?1")?
        .execute([bundle_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO bundle_courses (bundle_id, course_id, position) VALUES (?1, ?2, ?3)",
    )?;
    for (position, id) in ids.iter().enumerate() {
        insert.execute(params![bundle_id, id, position as i64])?;
    }
    Ok(())
}

/// Whether an order or a payment plan names the bundle, so deleting it archives it instead.
pub fn ordered(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM order_items WHERE item_type = 'bundle' AND item_id = ?1)
             OR EXISTS (SELECT 1 FROM membership_plans WHERE bundle_id = ?1)",
    )?
    .query_row([id], |r| r.get(0))
}

pub fn delete(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM cart_items WHERE item_type = 'bundle' AND item_id = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM bundles WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

pub fn archive(conn: &Connection, id: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE bundles SET status = 'archived', updated_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}
