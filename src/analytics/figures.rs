//! Pure arithmetic of the reports: sales periods and totals, progress funnels, averages.

use serde::{Deserialize, Serialize};
use time::Date;

use super::period::{DateRange, Interval, bucket, day_text};

/// Sales of one period; `net_cents = gross_cents - refunds_cents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SalesFigures {
    /// First day of the period (`YYYY-MM-DD`); empty for totals.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub period: String,
    pub gross_cents: i64,
    pub refunds_cents: i64,
    pub net_cents: i64,
    pub orders: i64,
    /// `gross_cents / orders`, rounded down; 0 without orders.
    pub average_order_cents: i64,
}

impl SalesFigures {
    fn new(period: String, gross_cents: i64, refunds_cents: i64, orders: i64) -> SalesFigures {
        SalesFigures {
            period,
            gross_cents,
            refunds_cents,
            net_cents: gross_cents - refunds_cents,
            orders,
            average_order_cents: if orders > 0 { gross_cents / orders } else { 0 },
        }
    }
}

/// Buckets daily sales `(day, [gross, orders])` and refunds `(day, [refunds])` into
/// periods, with the totals of the whole range.
pub fn sales(
    range: DateRange,
    interval: Interval,
    daily_sales: &[(Date, [i64; 2])],
    daily_refunds: &[(Date, [i64; 1])],
) -> (Vec<SalesFigures>, SalesFigures) {
    let combined: Vec<(Date, [i64; 3])> = daily_sales
        .iter()
        .map(|(d, [gross, orders])| (*d, [*gross, *orders, 0]))
        .chain(
            daily_refunds
                .iter()
                .map(|(d, [refunds])| (*d, [0, 0, *refunds])),
        )
        .collect();
    let periods: Vec<SalesFigures> = bucket(range, interval, &combined)
        .into_iter()
        .map(|(start, [gross, orders, refunds])| {
            SalesFigures::new(day_text(start), gross, refunds, orders)
        })
        .collect();
    let totals = SalesFigures::new(
        String::new(),
        periods.iter().map(|p| p.gross_cents).sum(),
        periods.iter().map(|p| p.refunds_cents).sum(),
        periods.iter().map(|p| p.orders).sum(),
    );
    (periods, totals)
}

/// Where `enrolments` enrolments of a course stand alike (read from the `course_standings`
/// rollup): their required lessons done, whether started or completed, and their time spent
/// together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnrolmentStanding {
    pub required_lessons: i64,
    pub completed_required: i64,
    /// At least one lesson touched.
    pub started: bool,
    pub completed: bool,
    pub enrolments: i64,
    pub time_spent_seconds: i64,
}

impl EnrolmentStanding {
    /// Completed required lessons over required lessons, rounded down (100 once completed).
    pub fn percent(&self) -> i64 {
        if self.completed {
            return 100;
        }
        if self.required_lessons <= 0 {
            return 0;
        }
        (self.completed_required.min(self.required_lessons) * 100) / self.required_lessons
    }
}

/// How far the learners of a course got.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Funnel {
    pub enrolled: i64,
    /// Touched at least one lesson.
    pub started: i64,
    pub reached_25: i64,
    pub reached_50: i64,
    pub reached_75: i64,
    pub reached_100: i64,
    pub completed: i64,
    /// Mean of `time_spent_seconds` over enrolments, rounded down.
    pub average_time_spent_seconds: i64,
    /// Mean progress percent over enrolments (0 without enrolments).
    pub average_progress_percent: f64,
}

pub fn funnel(standings: &[EnrolmentStanding]) -> Funnel {
    let count = |f: &dyn Fn(&EnrolmentStanding) -> bool| {
        standings
            .iter()
            .filter(|s| f(s))
            .map(|s| s.enrolments)
            .sum::<i64>()
    };
    let enrolled = count(&|_| true);
    Funnel {
        enrolled,
        started: count(&|s| s.started || s.completed),
        reached_25: count(&|s| s.percent() >= 25),
        reached_50: count(&|s| s.percent() >= 50),
        reached_75: count(&|s| s.percent() >= 75),
        reached_100: count(&|s| s.percent() >= 100),
        completed: count(&|s| s.completed),
        average_time_spent_seconds: if enrolled > 0 {
            standings.iter().map(|s| s.time_spent_seconds).sum::<i64>() / enrolled
        } else {
            0
        },
        average_progress_percent: average(
            standings.iter().map(|s| s.percent() * s.enrolments).sum(),
            enrolled,
        ),
    }
}

/// `part / whole` as a fraction rounded to 4 places; 0 when `whole` is 0.
pub fn ratio(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        return 0.0;
    }
    ((part as f64 / whole as f64) * 10_000.0).round() / 10_000.0
}

/// `sum / count` rounded to 2 places; 0 when `count` is 0.
pub fn average(sum: i64, count: i64) -> f64 {
    if count <= 0 {
        return 0.0;
    }
    ((sum as f64 / count as f64) * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn sales_reconcile_per_period_and_in_total() {
        let range = DateRange {
            from: date!(2026 - 01 - 01),
            to: date!(2026 - 02 - 28),
        };
        let daily = [
            (date!(2026 - 01 - 03), [1000, 1]),
            (date!(2026 - 01 - 20), [2500, 2]),
            (date!(2026 - 02 - 02), [300, 1]),
        ];
        let refunds = [(date!(2026 - 02 - 10), [400])];
        let (periods, totals) = sales(range, Interval::Month, &daily, &refunds);
        assert_eq!(periods.len(), 2);
        assert_eq!(
            periods[0],
            SalesFigures {
                period: "2026-01-01".into(),
                gross_cents: 3500,
                refunds_cents: 0,
                net_cents: 3500,
                orders: 3,
                average_order_cents: 1166
            }
        );
        assert_eq!(
            (
                periods[1].gross_cents,
                periods[1].refunds_cents,
                periods[1].net_cents
            ),
            (300, 400, -100)
        );
        assert_eq!(
            (
                totals.gross_cents,
                totals.refunds_cents,
                totals.net_cents,
                totals.orders
            ),
            (3800, 400, 3400, 4)
        );
        assert_eq!(totals.average_order_cents, 950);
    }

    #[test]
    fn a_period_without_orders_averages_zero() {
        let range = DateRange {
            from: date!(2026 - 01 - 01),
            to: date!(2026 - 01 - 01),
        };
        let (periods, totals) = sales(range, Interval::Day, &[], &[]);
        assert_eq!(periods[0].average_order_cents, 0);
        assert_eq!(totals.net_cents, 0);
    }

    fn standing(
        required: i64,
        done: i64,
        touched: i64,
        completed: bool,
        time: i64,
    ) -> EnrolmentStanding {
        EnrolmentStanding {
            required_lessons: required,
            completed_required: done,
            started: touched > 0,
            completed,
            enrolments: 1,
            time_spent_seconds: time,
        }
    }

    #[test]
    fn the_funnel_counts_thresholds_cumulatively() {
        let f = funnel(&[
            standing(4, 0, 0, false, 0),
            standing(4, 1, 1, false, 60),  // 25 %
            standing(4, 2, 3, false, 120), // 50 %
            standing(3, 2, 2, false, 100), // 66 %
            standing(4, 4, 4, true, 400),  // completed
        ]);
        assert_eq!((f.enrolled, f.started), (5, 4));
        assert_eq!(
            (
                f.reached_25,
                f.reached_50,
                f.reached_75,
                f.reached_100,
                f.completed
            ),
            (4, 3, 1, 1, 1)
        );
        assert_eq!(f.average_time_spent_seconds, 136);
        assert_eq!(f.average_progress_percent, 48.2); // (0+25+50+66+100)/5
    }

    #[test]
    fn a_standing_of_many_enrolments_weighs_as_many() {
        let alike = EnrolmentStanding {
            enrolments: 3,
            time_spent_seconds: 300,
            ..standing(4, 2, 2, false, 0)
        };
        let f = funnel(&[alike, standing(4, 0, 0, false, 100)]);
        assert_eq!((f.enrolled, f.started, f.reached_50), (4, 3, 3));
        assert_eq!(f.average_time_spent_seconds, 100);
        assert_eq!(f.average_progress_percent, 37.5); // (3 x 50 + 0) / 4
    }

    #[test]
    fn empty_courses_and_ratios_do_not_divide_by_zero() {
        assert_eq!(funnel(&[]), Funnel::default());
        assert_eq!(ratio(1, 0), 0.0);
        assert_eq!(ratio(1, 3), 0.3333);
        assert_eq!(average(9, 2), 4.5);
        assert_eq!(standing(0, 0, 0, false, 0).percent(), 0);
    }
}
