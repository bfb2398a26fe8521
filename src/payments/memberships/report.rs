//! Membership figures for a period: monthly recurring revenue, active members, new and
//! churned members, and how many failed payments were recovered (JSON or CSV).

use rusqlite::Connection;
use serde::Serialize;

use super::model::PlanInterval;
use super::store;
use crate::http::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MembershipReport {
    pub from: String,
    pub to: String,
    pub currency: String,
    /// Monthly recurring revenue now, in cents: every active or past-due paid membership
    /// (payment plans and comps excluded), yearly prices divided by 12 (half up).
    pub mrr_cents: i64,
    /// Members (distinct people) whose membership is trialing, active or past due now.
    pub active_members: i64,
    /// Memberships started in the period.
    pub new_members: i64,
    /// Memberships that ended in the period (cancelled, or expired unpaid; paid-off plans
    /// are not churn).
    pub churned_members: i64,
    /// Memberships with a failed payment in the period, and how many of them paid after it.
    pub failed_payments: i64,
    pub recovered_payments: i64,
}

/// One period's price as a monthly amount, half up: 12 000 a year is 1 000 a month.
pub fn monthly_cents(price_cents: i64, interval: PlanInterval) -> i64 {
    match interval {
        PlanInterval::Month => price_cents,
        PlanInterval::Year => (price_cents * 2 + 12) / 24,
    }
}

pub fn build(
    conn: &Connection,
    from: &str,
    to: &str,
    currency: &str,
) -> Result<MembershipReport, AppError> {
    let f = store::report_facts(conn, from, to)?;
    Ok(MembershipReport {
        from: from.into(),
        to: to.into(),
        currency: currency.into(),
        mrr_cents: f
            .paying
            .iter()
            .map(|(price, interval)| monthly_cents(*price, *interval))
            .sum(),
        active_members: f.active_members,
        new_members: f.new_members,
        churned_members: f.churned_members,
        failed_payments: f.failed_payments,
        recovered_payments: f.recovered_payments,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yearly_prices_count_a_twelfth_a_month_rounded_half_up() {
        assert_eq!(monthly_cents(1900, PlanInterval::Month), 1900);
        assert_eq!(monthly_cents(12_000, PlanInterval::Year), 1000);
        assert_eq!(monthly_cents(19_000, PlanInterval::Year), 1583);
        assert_eq!(monthly_cents(6, PlanInterval::Year), 1, "0.5 rounds up");
        assert_eq!(monthly_cents(5, PlanInterval::Year), 0);
    }
}
