//! SQL for membership plans, memberships and their invoices.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::model::{Invoice, InvoiceStatus, Membership, Plan};
use crate::access::MembershipStatus;

const PLAN_COLUMNS: &str = "id, name, interval, price_cents, currency, trial_days, scope, category_id, \
     cycles, course_id, switch_plan_id, stripe_plan_id, active, created_at, bundle_id";

/// The plan's columns, and its bundle's name, for reading.
const PLAN_SELECT: &str = "SELECT id, name, interval, price_cents, currency, trial_days, scope, \
     category_id, cycles, course_id, switch_plan_id, stripe_plan_id, active, created_at, bundle_id, \
     (SELECT b.name FROM bundles b WHERE b.id = membership_plans.bundle_id) FROM membership_plans";

fn plan_row(r: &Row<'_>) -> rusqlite::Result<Plan> {
    Ok(Plan {
        id: r.get(0)?,
        name: r.get(1)?,
        interval: r.get(2)?,
        price_cents: r.get(3)?,
        currency: r.get(4)?,
        trial_days: r.get(5)?,
        scope: r.get(6)?,
        category_id: r.get(7)?,
        course_ids: Vec::new(),
        cycles: r.get(8)?,
        course_id: r.get(9)?,
        switch_plan_id: r.get(10)?,
        stripe_plan_id: r.get(11)?,
        active: r.get(12)?,
        created_at: r.get(13)?,
        bundle_id: r.get(14)?,
        bundle_name: r.get(15)?,
    })
}

fn with_courses(conn: &Connection, mut plan: Plan) -> rusqlite::Result<Plan> {
    plan.course_ids = conn
        .prepare_cached(
            "SELECT course_id FROM membership_plan_courses WHERE plan_id = ?1 ORDER BY course_id",
        )?
        .query_map([&plan.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(plan)
}

pub fn insert_plan(conn: &Connection, p: &Plan) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO membership_plans ({PLAN_COLUMNS}, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?14)"
    ))?
    .execute(params![
        p.id,
        p.name,
        p.interval,
        p.price_cents,
        p.currency,
        p.trial_days,
        p.scope,
        p.category_id,
        p.cycles,
        p.course_id,
        p.switch_plan_id,
        p.stripe_plan_id,
        p.active,
        p.created_at,
        p.bundle_id
    ])?;
    for course in &p.course_ids {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO membership_plan_courses (plan_id, course_id) VALUES (?1, ?2)",
        )?
        .execute([&p.id, course])?;
    }
    Ok(())
}

pub fn plan(conn: &Connection, id: &str) -> rusqlite::Result<Option<Plan>> {
    let plan = conn
        .prepare_cached(&format!("{PLAN_SELECT} WHERE id = ?1"))?
        .query_row([id], plan_row)
        .optional()?;
    plan.map(|p| with_courses(conn, p)).transpose()
}

/// Our plan billed at Stripe as `stripe_plan`: by the id stored when it was created there,
/// or by the id `billing::ensure_plan` derives (the webhook may come before that is stored).
pub fn plan_by_stripe_id(conn: &Connection, stripe_plan: &str) -> rusqlite::Result<Option<Plan>> {
    let id = conn
        .prepare_cached(
            "SELECT id FROM membership_plans
             WHERE stripe_plan_id = ?1 OR 'schoolhouse_plan_' || id = ?1
             ORDER BY stripe_plan_id = ?1 DESC LIMIT 1",
        )?
        .query_row([stripe_plan], |r| r.get::<_, String>(0))
        .optional()?;
    match id {
        Some(id) => plan(conn, &id),
        None => Ok(None),
    }
}

/// Makes `id` switch to `sibling` (the monthly/yearly pair is linked both ways).
pub fn set_switch_plan(conn: &Connection, id: &str, sibling: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE membership_plans SET switch_plan_id = ?2 WHERE id = ?1")?
        .execute([id, sibling])?;
    Ok(())
}

pub fn plans(conn: &Connection, only_active: bool) -> rusqlite::Result<Vec<Plan>> {
    let rows: Vec<Plan> = conn
        .prepare_cached(&format!(
            "{PLAN_SELECT} WHERE active = 1 OR ?1 = 0
             ORDER BY cycles IS NOT NULL, price_cents, id"
        ))?
        .query_map([only_active], plan_row)?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter().map(|p| with_courses(conn, p)).collect()
}

pub fn set_stripe_plan(conn: &Connection, id: &str, stripe_plan_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE membership_plans SET stripe_plan_id = ?2 WHERE id = ?1")?
        .execute([id, stripe_plan_id])?;
    Ok(())
}

pub fn course_exists(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM courses WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )
}

pub fn category_exists(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM categories WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )
}

const COLUMNS: &str = "id, user_id, plan_id, status, gateway, stripe_customer_id, \
     stripe_subscription_id, current_period_end, past_due_since, cancel_at_period_end, cycles_paid, \
     started_at, ended_at, updated_at";

fn row(r: &Row<'_>) -> rusqlite::Result<Membership> {
    Ok(Membership {
        id: r.get(0)?,
        user_id: r.get(1)?,
        plan_id: r.get(2)?,
        status: r.get(3)?,
        gateway: r.get(4)?,
        stripe_customer_id: r.get(5)?,
        stripe_subscription_id: r.get(6)?,
        current_period_end: r.get(7)?,
        past_due_since: r.get(8)?,
        cancel_at_period_end: r.get(9)?,
        cycles_paid: r.get(10)?,
        started_at: r.get(11)?,
        ended_at: r.get(12)?,
        updated_at: r.get(13)?,
    })
}

pub fn insert(conn: &Connection, m: &Membership) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO memberships ({COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    ))?
    .execute(params![
        m.id,
        m.user_id,
        m.plan_id,
        m.status,
        m.gateway,
        m.stripe_customer_id,
        m.stripe_subscription_id,
        m.current_period_end,
        m.past_due_since,
        m.cancel_at_period_end,
        m.cycles_paid,
        m.started_at,
        m.ended_at,
        m.updated_at
    ])?;
    Ok(())
}

/// Writes every changeable field of `m` back.
pub fn update(conn: &Connection, m: &Membership) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE memberships SET status = ?2, current_period_end = ?3, past_due_since = ?4,
           cancel_at_period_end = ?5, cycles_paid = ?6, ended_at = ?7, updated_at = ?8,
           plan_id = ?9
         WHERE id = ?1",
    )?
    .execute(params![
        m.id,
        m.status,
        m.current_period_end,
        m.past_due_since,
        m.cancel_at_period_end,
        m.cycles_paid,
        m.ended_at,
        m.updated_at,
        m.plan_id
    ])?;
    Ok(())
}

pub fn get(conn: &Connection, id: &str) -> rusqlite::Result<Option<Membership>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM memberships WHERE id = ?1"))?
        .query_row([id], row)
        .optional()
}

pub fn by_subscription(conn: &Connection, sub: &str) -> rusqlite::Result<Option<Membership>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM memberships WHERE stripe_subscription_id = ?1"
    ))?
    .query_row([sub], row)
    .optional()
}

pub fn for_user(conn: &Connection, user_id: &str) -> rusqlite::Result<Vec<Membership>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM memberships WHERE user_id = ?1 ORDER BY started_at DESC, id DESC"
    ))?
    .query_map([user_id], row)?
    .collect()
}

/// The live membership of `user_id` on `plan_id`, if any.
pub fn live(
    conn: &Connection,
    user_id: &str,
    plan_id: &str,
) -> rusqlite::Result<Option<Membership>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM memberships WHERE user_id = ?1 AND plan_id = ?2
           AND status <> 'cancelled' AND status <> 'expired'"
    ))?
    .query_row([user_id, plan_id], row)
    .optional()
}

/// Live memberships nobody bills (manual, comp) that have a period end: the ones that may
/// lapse by themselves.
pub fn unbilled_with_period(conn: &Connection) -> rusqlite::Result<Vec<Membership>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM memberships
         WHERE gateway <> 'stripe' AND current_period_end IS NOT NULL
           AND status <> 'cancelled' AND status <> 'expired'
         ORDER BY id"
    ))?
    .query_map([], row)?
    .collect()
}

/// One page of memberships, newest first, optionally of one status, and the total.
pub fn list(
    conn: &Connection,
    status: Option<MembershipStatus>,
    plan_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<(Vec<Membership>, i64)> {
    let filter = "WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR plan_id = ?2)";
    let items = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM memberships {filter}
             ORDER BY started_at DESC, id DESC LIMIT ?3 OFFSET ?4"
        ))?
        .query_map(params![status, plan_id, limit, offset], row)?
        .collect::<rusqlite::Result<_>>()?;
    let total = conn.query_row(
        &format!("SELECT count(*) FROM memberships {filter}"),
        params![status, plan_id],
        |r| r.get(0),
    )?;
    Ok((items, total))
}

/// Records an invoice; false (and nothing written) when this Stripe invoice was already
/// recorded with this status.
pub fn insert_invoice(conn: &Connection, i: &Invoice, by: Option<&str>) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT INTO membership_invoices (id, membership_id, stripe_invoice_id, status,
               amount_cents, currency, period_end, recorded_by, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (stripe_invoice_id, status) DO NOTHING",
        )?
        .execute(params![
            i.id,
            i.membership_id,
            i.stripe_invoice_id,
            i.status,
            i.amount_cents,
            i.currency,
            i.period_end,
            by,
            i.at
        ])?;
    Ok(n == 1)
}

pub fn invoices(conn: &Connection, membership_id: &str) -> rusqlite::Result<Vec<Invoice>> {
    conn.prepare_cached(
        "SELECT id, membership_id, stripe_invoice_id, status, amount_cents, currency, period_end, at
         FROM membership_invoices WHERE membership_id = ?1 ORDER BY at DESC, id DESC",
    )?
    .query_map([membership_id], |r| {
        Ok(Invoice {
            id: r.get(0)?,
            membership_id: r.get(1)?,
            stripe_invoice_id: r.get(2)?,
            status: r.get::<_, InvoiceStatus>(3)?,
            amount_cents: r.get(4)?,
            currency: r.get(5)?,
            period_end: r.get(6)?,
            at: r.get(7)?,
        })
    })?
    .collect()
}

/// The member's name and email, for mail.
pub fn recipient(conn: &Connection, user_id: &str) -> rusqlite::Result<Option<(String, String)>> {
    conn.query_row(
        "SELECT coalesce(name, ''), email FROM users WHERE id = ?1",
        [user_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Whether a subscription event Stripe made at `created` is older than the newest one already
/// applied to the membership (events arrive out of order; ties are applied).
pub fn subscription_event_is_stale(
    conn: &Connection,
    membership_id: &str,
    created: i64,
) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT coalesce(stripe_event_at > ?2, 0) FROM memberships WHERE id = ?1")?
        .query_row(params![membership_id, created], |r| r.get(0))
}

/// Remembers the newest subscription event applied to the membership.
pub fn mark_subscription_event(
    conn: &Connection,
    membership_id: &str,
    created: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE memberships SET stripe_event_at = max(coalesce(stripe_event_at, ?2), ?2)
         WHERE id = ?1",
    )?
    .execute(params![membership_id, created])?;
    Ok(())
}
