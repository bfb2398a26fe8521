//! SQL of the membership report: the membership tables read as they are (analytics sits to
//! the right of payments, so it reads the rows, not the payments code).

use rusqlite::Connection;

/// One membership (not a payment plan) with what the report needs of its plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub id: String,
    pub user_id: String,
    pub status: String,
    pub gateway: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub price_cents: i64,
    pub yearly: bool,
    pub trial_days: i64,
}

/// A membership invoice: paid or failed, when, how much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRow {
    pub membership_id: String,
    pub paid: bool,
    pub amount_cents: i64,
    pub at: String,
}

/// Every membership (payment plans left out: they sell one course, not membership).
pub fn members(conn: &Connection) -> rusqlite::Result<Vec<MemberRow>> {
    conn.prepare(
        "SELECT m.id, m.user_id, m.status, m.gateway, m.started_at, m.ended_at,
                p.price_cents, p.interval = 'year', p.trial_days
         FROM memberships m JOIN membership_plans p ON p.id = m.plan_id
         WHERE p.cycles IS NULL
         ORDER BY m.started_at, m.id",
    )?
    .query_map([], |r| {
        Ok(MemberRow {
            id: r.get(0)?,
            user_id: r.get(1)?,
            status: r.get(2)?,
            gateway: r.get(3)?,
            started_at: r.get(4)?,
            ended_at: r.get(5)?,
            price_cents: r.get(6)?,
            yearly: r.get(7)?,
            trial_days: r.get(8)?,
        })
    })?
    .collect()
}

/// The invoices of memberships (not payment plans), oldest first.
pub fn invoices(conn: &Connection) -> rusqlite::Result<Vec<InvoiceRow>> {
    conn.prepare(
        "SELECT i.membership_id, i.status = 'paid', i.amount_cents, i.at
         FROM membership_invoices i
         JOIN memberships m ON m.id = i.membership_id
         JOIN membership_plans p ON p.id = m.plan_id
         WHERE p.cycles IS NULL
         ORDER BY i.at, i.id",
    )?
    .query_map([], |r| {
        Ok(InvoiceRow {
            membership_id: r.get(0)?,
            paid: r.get(1)?,
            amount_cents: r.get(2)?,
            at: r.get(3)?,
        })
    })?
    .collect()
}
