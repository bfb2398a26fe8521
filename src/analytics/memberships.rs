//! The membership report, beside the sales report: monthly recurring revenue and active
//! members at the end of each period, new and churned members, membership revenue, and
//! failed payments and how many were recovered. Pure figures over the stored rows.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

use super::period::{DateRange, Interval, day_text, period_starts};
use super::store::memberships::{InvoiceRow, MemberRow};
use crate::clock::parse_rfc3339;

/// One period's membership figures. `mrr_cents` and `active_members` are taken at the
/// period's end (or now, if that is later than now); the others count what happened in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MembershipFigures {
    /// First day of the period (`total` in the totals row).
    pub period: String,
    /// Monthly recurring revenue, cents: every live paying membership (comps, trials and
    /// paused ones excluded), a yearly price counted as a twelfth (half up).
    pub mrr_cents: i64,
    /// People with a live membership (trials and comps included).
    pub active_members: i64,
    /// Memberships started in the period.
    pub new_members: i64,
    /// Memberships that ended in the period (cancelled or expired).
    pub churned_members: i64,
    /// Paid membership invoices in the period, cents.
    pub revenue_cents: i64,
    /// Memberships with a failed payment in the period.
    pub failed_payments: i64,
    /// Of those, how many paid after the failure (by now).
    pub recovered_payments: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MembershipsReport {
    pub from: String,
    pub to: String,
    pub interval: Interval,
    pub currency: String,
    pub periods: Vec<MembershipFigures>,
    /// Sums over the range; `mrr_cents` and `active_members` are now.
    pub totals: MembershipFigures,
}

/// One period's price as a monthly amount, half up: 12 000 a year is 1 000 a month.
pub fn monthly_cents(price_cents: i64, yearly: bool) -> i64 {
    if yearly {
        (price_cents * 2 + 12) / 24
    } else {
        price_cents
    }
}

fn at(text: &str) -> Option<OffsetDateTime> {
    parse_rfc3339(text)
}

fn midnight(day: Date) -> OffsetDateTime {
    day.midnight().assume_utc()
}

/// Live at `t`: started, not yet ended.
fn live_at(m: &MemberRow, t: OffsetDateTime) -> bool {
    let started = at(&m.started_at).is_some_and(|s| s <= t);
    let ended = m.ended_at.as_deref().and_then(at).is_some_and(|e| e <= t);
    started && !ended
}

/// Paying at `t`: live, not a comp, past its trial, not paused (pauses keep no history, so
/// a paused membership counts as not paying in every period).
fn paying_at(m: &MemberRow, t: OffsetDateTime) -> bool {
    let trial_over = at(&m.started_at).is_some_and(|s| t >= s + Duration::days(m.trial_days));
    live_at(m, t) && m.gateway != "comp" && m.status != "paused" && trial_over
}

/// MRR and distinct active members at `t`.
pub fn standing_at(members: &[MemberRow], t: OffsetDateTime) -> (i64, i64) {
    let mrr = members
        .iter()
        .filter(|m| paying_at(m, t))
        .map(|m| monthly_cents(m.price_cents, m.yearly))
        .sum();
    let people: BTreeSet<&str> = members
        .iter()
        .filter(|m| live_at(m, t))
        .map(|m| m.user_id.as_str())
        .collect();
    (mrr, people.len() as i64)
}

/// What happened in `[from, to)`: new, churned, revenue, failed, recovered.
fn flows(
    members: &[MemberRow],
    invoices: &[InvoiceRow],
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> [i64; 5] {
    let within = |text: &str| at(text).is_some_and(|t| t >= from && t < to);
    let new = members.iter().filter(|m| within(&m.started_at)).count() as i64;
    let churned = members
        .iter()
        .filter(|m| m.ended_at.as_deref().is_some_and(within))
        .count() as i64;
    let revenue = invoices
        .iter()
        .filter(|i| i.paid && within(&i.at))
        .map(|i| i.amount_cents)
        .sum();
    // The first failure of each membership in the period, and whether a payment followed.
    let mut first_failure: HashMap<&str, OffsetDateTime> = HashMap::new();
    for i in invoices.iter().filter(|i| !i.paid && within(&i.at)) {
        if let Some(t) = at(&i.at) {
            let e = first_failure.entry(i.membership_id.as_str()).or_insert(t);
            *e = (*e).min(t);
        }
    }
    let recovered = first_failure
        .iter()
        .filter(|(id, failed)| {
            invoices.iter().any(|i| {
                i.paid && i.membership_id == **id && at(&i.at).is_some_and(|t| t >= **failed)
            })
        })
        .count() as i64;
    [new, churned, revenue, first_failure.len() as i64, recovered]
}

fn figures(period: String, standing: (i64, i64), flow: [i64; 5]) -> MembershipFigures {
    let [
        new_members,
        churned_members,
        revenue_cents,
        failed_payments,
        recovered_payments,
    ] = flow;
    MembershipFigures {
        period,
        mrr_cents: standing.0,
        active_members: standing.1,
        new_members,
        churned_members,
        revenue_cents,
        failed_payments,
        recovered_payments,
    }
}

/// The figures of each period touching `range` (clipped to it), and the totals.
pub fn report(
    members: &[MemberRow],
    invoices: &[InvoiceRow],
    range: DateRange,
    interval: Interval,
    now: OffsetDateTime,
) -> (Vec<MembershipFigures>, MembershipFigures) {
    let starts = period_starts(range, interval);
    let range_end = midnight(range.to) + Duration::days(1);
    let periods = starts
        .iter()
        .enumerate()
        .map(|(n, start)| {
            let from = midnight((*start).max(range.from));
            let to = starts
                .get(n + 1)
                .map(|next| midnight(*next))
                .unwrap_or(range_end)
                .min(range_end);
            let standing = standing_at(members, to.min(now));
            figures(
                day_text(*start),
                standing,
                flows(members, invoices, from, to),
            )
        })
        .collect();
    let totals = figures(
        "total".into(),
        standing_at(members, now),
        flows(members, invoices, midnight(range.from), range_end),
    );
    (periods, totals)
}

/// The CSV columns, in order, and one row's cells.
pub const CSV_HEADER: &[&str] = &[
    "period",
    "mrr_cents",
    "active_members",
    "new_members",
    "churned_members",
    "revenue_cents",
    "failed_payments",
    "recovered_payments",
];

pub fn csv_cells(f: &MembershipFigures) -> Vec<String> {
    let numbers = [
        f.mrr_cents,
        f.active_members,
        f.new_members,
        f.churned_members,
        f.revenue_cents,
        f.failed_payments,
        f.recovered_payments,
    ];
    std::iter::once(f.period.clone())
        .chain(numbers.iter().map(i64::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, started: &str, ended: Option<&str>) -> MemberRow {
        MemberRow {
            id: id.into(),
            user_id: format!("u-{id}"),
            status: if ended.is_some() {
                "cancelled"
            } else {
                "active"
            }
            .into(),
            gateway: "stripe".into(),
            started_at: started.into(),
            ended_at: ended.map(str::to_string),
            price_cents: 1900,
            yearly: false,
            trial_days: 0,
        }
    }

    fn t(text: &str) -> OffsetDateTime {
        parse_rfc3339(text).unwrap()
    }

    #[test]
    fn yearly_prices_count_a_twelfth_a_month_rounded_half_up() {
        assert_eq!(monthly_cents(1900, false), 1900);
        assert_eq!(monthly_cents(12_000, true), 1000);
        assert_eq!(monthly_cents(19_000, true), 1583);
        assert_eq!(monthly_cents(6, true), 1, "0.5 rounds up");
        assert_eq!(monthly_cents(5, true), 0);
    }

    #[test]
    fn comps_trials_and_paused_memberships_are_active_but_bring_no_recurring_revenue() {
        let mut comp = member("comp", "2026-01-01T00:00:00Z", None);
        comp.gateway = "comp".into();
        let mut trial = member("trial", "2026-01-10T00:00:00Z", None);
        trial.trial_days = 14;
        let mut paused = member("paused", "2026-01-01T00:00:00Z", None);
        paused.status = "paused".into();
        let paying = member("paying", "2026-01-01T00:00:00Z", None);
        let all = [comp, trial, paused, paying];
        assert_eq!(standing_at(&all, t("2026-01-20T00:00:00Z")), (1900, 4));
        assert_eq!(
            standing_at(&all, t("2026-01-24T00:00:00Z")),
            (3800, 4),
            "the trial is over"
        );
    }

    #[test]
    fn a_membership_that_ended_is_churn_in_its_period_and_no_longer_active_after() {
        let gone = member("gone", "2026-01-01T00:00:00Z", Some("2026-02-10T00:00:00Z"));
        let range = DateRange {
            from: Date::from_calendar_date(2026, time::Month::January, 1).unwrap(),
            to: Date::from_calendar_date(2026, time::Month::February, 28).unwrap(),
        };
        let (periods, totals) = report(
            std::slice::from_ref(&gone),
            &[],
            range,
            Interval::Month,
            t("2026-06-01T00:00:00Z"),
        );
        assert_eq!(
            (
                periods[0].new_members,
                periods[0].churned_members,
                periods[0].mrr_cents
            ),
            (1, 0, 1900)
        );
        assert_eq!(
            (
                periods[1].new_members,
                periods[1].churned_members,
                periods[1].mrr_cents
            ),
            (0, 1, 0)
        );
        assert_eq!((totals.new_members, totals.churned_members), (1, 1));
    }

    #[test]
    fn a_failure_counts_once_per_membership_and_is_recovered_only_by_a_later_payment() {
        let inv = |id: &str, paid: bool, at: &str| InvoiceRow {
            membership_id: id.into(),
            paid,
            amount_cents: 1900,
            at: at.into(),
        };
        let invoices = [
            inv("a", true, "2026-01-01T00:00:00Z"),
            inv("a", false, "2026-02-01T00:00:00Z"),
            inv("a", false, "2026-02-04T00:00:00Z"),
            inv("a", true, "2026-02-06T00:00:00Z"),
            inv("b", false, "2026-02-01T00:00:00Z"),
        ];
        let flow = flows(
            &[],
            &invoices,
            t("2026-02-01T00:00:00Z"),
            t("2026-03-01T00:00:00Z"),
        );
        assert_eq!(flow, [0, 0, 1900, 2, 1]);
    }
}
