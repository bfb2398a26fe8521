//! Membership figures for a period: monthly recurring revenue, active members, new and
//! churned members, and how many failed payments were recovered (JSON or CSV).

use rusqlite::Connection;
use serde::Serialize;

use crate::http::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MembershipReport {
    pub from: String,
    pub to: String,
    pub currency: String,
    /// Monthly recurring revenue now, in cents: every live paying membership (payment plans,
    /// comps, trials and paused ones excluded), yearly prices divided by 12 (half up).
    pub mrr_cents: i64,
    /// Members (distinct people) with a live membership now (payment plans excluded).
    pub active_members: i64,
    /// Memberships (not payment plans) started in the period.
    pub new_members: i64,
    /// Memberships that ended in the period (cancelled or expired).
    pub churned_members: i64,
    /// Memberships with a failed payment in the period, and how many of them paid after it.
    pub failed_payments: i64,
    pub recovered_payments: i64,
}

/// The figures of `from..=to` (days, UTC); MRR and active members now. Computed by the
/// analytics report (`/api/admin/analytics/memberships`), so both say the same.
pub fn build(
    conn: &Connection,
    from: time::Date,
    to: time::Date,
    now: time::OffsetDateTime,
    currency: &str,
) -> Result<MembershipReport, AppError> {
    use crate::analytics::{memberships, period, store::memberships as rows};
    let range = period::DateRange { from, to };
    let (_, totals) = memberships::report(
        &rows::members(conn)?,
        &rows::invoices(conn)?,
        range,
        period::Interval::Month,
        now,
    );
    Ok(MembershipReport {
        from: crate::clock::day_text(from),
        to: crate::clock::day_text(to),
        currency: currency.into(),
        mrr_cents: totals.mrr_cents,
        active_members: totals.active_members,
        new_members: totals.new_members,
        churned_members: totals.churned_members,
        failed_payments: totals.failed_payments,
        recovered_payments: totals.recovered_payments,
    })
}

/// The report as CSV: one `metric,value` line each.
pub fn csv(r: &MembershipReport) -> String {
    let rows = [
        ("from", r.from.clone()),
        ("to", r.to.clone()),
        ("currency", r.currency.clone()),
        ("mrr_cents", r.mrr_cents.to_string()),
        ("active_members", r.active_members.to_string()),
        ("new_members", r.new_members.to_string()),
        ("churned_members", r.churned_members.to_string()),
        ("failed_payments", r.failed_payments.to_string()),
        ("recovered_payments", r.recovered_payments.to_string()),
    ];
    let mut out = String::from("metric,value\r\n");
    for (k, v) in rows {
        out.push_str(&format!("{k},{v}\r\n"));
    }
    out
}
