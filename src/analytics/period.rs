//! Report periods: the `from`/`to`/`interval` query rules and bucketing of daily figures.

use time::{Date, Duration, Month};

use crate::http::FieldError;

/// The longest report range, in days (about ten years).
pub const MAX_RANGE_DAYS: i64 = 3660;
/// The range used when `from` is not given: the 30 days ending `to`.
pub const DEFAULT_RANGE_DAYS: i64 = 30;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    Day,
    Week,
    Month,
}

/// An inclusive range of UTC days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: Date,
    pub to: Date,
}

pub use crate::clock::{day_text, parse_day};

impl DateRange {
    /// Checks `from` and `to` (`YYYY-MM-DD`, inclusive); `to` defaults to `today` and
    /// `from` to 29 days before `to`.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        today: Date,
    ) -> Result<DateRange, FieldError> {
        let day = |field: &str, text: &str| {
            parse_day(text).ok_or_else(|| FieldError::new(field, "must be a date like 2026-01-31"))
        };
        let to = match to.filter(|t| !t.trim().is_empty()) {
            Some(text) => day("to", text)?,
            None => today,
        };
        let from = match from.filter(|t| !t.trim().is_empty()) {
            Some(text) => day("from", text)?,
            None => to - Duration::days(DEFAULT_RANGE_DAYS - 1),
        };
        if from > to {
            return Err(FieldError::new("from", "must not be after `to`"));
        }
        if (to - from).whole_days() >= MAX_RANGE_DAYS {
            return Err(FieldError::new(
                "to",
                crate::msg!("problem-range-days", max = MAX_RANGE_DAYS),
            ));
        }
        Ok(DateRange { from, to })
    }

    /// `from` as the first RFC 3339 instant of the range, for text comparison in SQL.
    pub fn start_text(&self) -> String {
        format!("{}T00:00:00", day_text(self.from))
    }

    /// `from` as `YYYY-MM-DD`.
    pub fn start_day(&self) -> String {
        day_text(self.from)
    }

    /// The day after the range, as `YYYY-MM-DD`.
    pub fn end_day(&self) -> String {
        day_text(self.to.next_day().unwrap_or(self.to))
    }

    /// The first instant after the range.
    pub fn end_text(&self) -> String {
        format!(
            "{}T00:00:00",
            day_text(self.to.next_day().unwrap_or(self.to))
        )
    }
}

/// The first day of the period holding `date`: itself, the Monday of its ISO week, or the
/// first of its month.
pub fn period_start(date: Date, interval: Interval) -> Date {
    match interval {
        Interval::Day => date,
        Interval::Week => {
            date - Duration::days(i64::from(date.weekday().number_days_from_monday()))
        }
        Interval::Month => date.replace_day(1).unwrap_or(date),
    }
}

fn next_period(start: Date, interval: Interval) -> Option<Date> {
    match interval {
        Interval::Day => start.next_day(),
        Interval::Week => start.checked_add(Duration::days(7)),
        Interval::Month => {
            let (year, month) = match start.month() {
                Month::December => (start.year() + 1, Month::January),
                m => (start.year(), m.next()),
            };
            Date::from_calendar_date(year, month, 1).ok()
        }
    }
}

/// The start of every period touching `range`, in order (the first may begin before
/// `range.from`; only days inside the range are ever counted in it).
pub fn period_starts(range: DateRange, interval: Interval) -> Vec<Date> {
    let mut starts = Vec::new();
    let mut current = period_start(range.from, interval);
    while current <= range.to {
        starts.push(current);
        match next_period(current, interval) {
            Some(next) => current = next,
            None => break,
        }
    }
    starts
}

/// Adds each `(day, values)` into the period holding it; days outside `range` are ignored.
/// Returns one entry per period, zero-filled.
pub fn bucket<const N: usize>(
    range: DateRange,
    interval: Interval,
    daily: &[(Date, [i64; N])],
) -> Vec<(Date, [i64; N])> {
    let mut out: Vec<(Date, [i64; N])> = period_starts(range, interval)
        .into_iter()
        .map(|start| (start, [0; N]))
        .collect();
    for (day, values) in daily {
        if *day < range.from || *day > range.to {
            continue;
        }
        let start = period_start(*day, interval);
        if let Ok(index) = out.binary_search_by(|(s, _)| s.cmp(&start)) {
            for (sum, value) in out[index].1.iter_mut().zip(values) {
                *sum += value;
            }
        }
    }
    out
}

/// A range read from the month and day rollups: the whole months inside it (`YYYY-MM`,
/// inclusive; none when `months` is `None`) and the days before and after them
/// (`YYYY-MM-DD`, each span `[start, end)`, possibly empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthSplit {
    pub months: Option<(String, String)>,
    pub head: (String, String),
    pub tail: (String, String),
}

/// Splits `range` into its whole months and the days at its ends, so a year's figures read
/// twelve monthly rows per item and a few daily ones instead of 365.
pub fn split_months(range: DateRange) -> MonthSplit {
    let after_end = range.to.next_day().unwrap_or(range.to);
    let first_whole = if range.from.day() == 1 {
        range.from
    } else {
        next_period(period_start(range.from, Interval::Month), Interval::Month).unwrap_or(after_end)
    };
    // The first day of the month after the last whole one.
    let end_whole = period_start(after_end, Interval::Month);
    if first_whole >= end_whole {
        let whole = (day_text(range.from), day_text(after_end));
        let empty = (day_text(after_end), day_text(after_end));
        return MonthSplit {
            months: None,
            head: whole,
            tail: empty,
        };
    }
    let last_whole = end_whole.previous_day().unwrap_or(end_whole);
    MonthSplit {
        months: Some((
            day_text(first_whole)[..7].to_string(),
            day_text(last_whole)[..7].to_string(),
        )),
        head: (day_text(range.from), day_text(first_whole)),
        tail: (day_text(end_whole), day_text(after_end)),
    }
}

/// A range read from the year, month and day rollups: its whole years (`YYYY`), the whole
/// months before and after them (`YYYY-MM`) and the days before and after those
/// (`YYYY-MM-DD`), each span `[start, end)` and possibly empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelSplit {
    pub years: (String, String),
    pub months: [(String, String); 2],
    pub days: [(String, String); 2],
}

/// Splits `range` so that a year's figures read one yearly row per item, and any range at
/// most eleven monthly rows at each end and the days at its ends.
pub fn split_levels(range: DateRange) -> LevelSplit {
    let by_month = split_months(range);
    let days = [by_month.head, by_month.tail];
    let empty = |at: &str| (at.to_string(), at.to_string());
    let Some((first, last)) = by_month.months else {
        return LevelSplit {
            years: empty("9999"),
            months: [empty("9999-12"), empty("9999-12")],
            days,
        };
    };
    let year_of = |month: &str| month[..4].parse::<i32>().unwrap_or(9999);
    let (last_year, last_month) = (year_of(&last), last[5..7].parse::<u8>().unwrap_or(12));
    let after_last = if last_month == 12 {
        format!("{:04}-01", last_year + 1)
    } else {
        format!("{last_year:04}-{:02}", last_month + 1)
    };
    let first_whole_year = year_of(&first) + i32::from(!first.ends_with("-01"));
    let end_year = year_of(&after_last);
    if first_whole_year >= end_year {
        return LevelSplit {
            years: empty("9999"),
            months: [(first, after_last.clone()), empty(&after_last)],
            days,
        };
    }
    LevelSplit {
        years: (format!("{first_whole_year:04}"), format!("{end_year:04}")),
        months: [
            (first, format!("{first_whole_year:04}-01")),
            (format!("{end_year:04}-01"), after_last),
        ],
        days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn range(from: Date, to: Date) -> DateRange {
        DateRange { from, to }
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        // 2026-01-07 is a Wednesday.
        assert_eq!(
            period_start(date!(2026 - 01 - 07), Interval::Week),
            date!(2026 - 01 - 05)
        );
        assert_eq!(
            period_start(date!(2026 - 01 - 05), Interval::Week),
            date!(2026 - 01 - 05)
        );
        assert_eq!(
            period_start(date!(2026 - 02 - 28), Interval::Month),
            date!(2026 - 02 - 01)
        );
        assert_eq!(
            period_start(date!(2026 - 02 - 28), Interval::Day),
            date!(2026 - 02 - 28)
        );
    }

    #[test]
    fn periods_cover_the_range_across_a_year_end() {
        let starts = period_starts(
            range(date!(2025 - 11 - 15), date!(2026 - 01 - 02)),
            Interval::Month,
        );
        assert_eq!(
            starts,
            vec![
                date!(2025 - 11 - 01),
                date!(2025 - 12 - 01),
                date!(2026 - 01 - 01)
            ]
        );
        let days = period_starts(
            range(date!(2026 - 01 - 30), date!(2026 - 02 - 02)),
            Interval::Day,
        );
        assert_eq!(days.len(), 4);
    }

    #[test]
    fn bucketing_sums_days_into_their_period_and_zero_fills() {
        let r = range(date!(2026 - 01 - 01), date!(2026 - 01 - 20));
        let daily = [
            (date!(2026 - 01 - 05), [100, 1]),
            (date!(2026 - 01 - 07), [50, 2]),
            (date!(2026 - 01 - 19), [7, 1]),
            (date!(2026 - 02 - 01), [1000, 1]), // outside the range
        ];
        let weeks = bucket(r, Interval::Week, &daily);
        assert_eq!(weeks.len(), 4); // weeks of Dec 29, Jan 5, Jan 12, Jan 19
        assert_eq!(weeks[0], (date!(2025 - 12 - 29), [0, 0]));
        assert_eq!(weeks[1], (date!(2026 - 01 - 05), [150, 3]));
        assert_eq!(weeks[2].1, [0, 0]);
        assert_eq!(weeks[3].1, [7, 1]);
    }

    #[test]
    fn ranges_default_and_refuse_bad_input() {
        let today = date!(2026 - 03 - 31);
        let r = DateRange::parse(None, None, today).unwrap();
        assert_eq!((r.from, r.to), (date!(2026 - 03 - 02), today));
        assert_eq!(
            DateRange::parse(Some("2026-04-01"), Some("2026-03-01"), today)
                .unwrap_err()
                .field,
            "from"
        );
        assert_eq!(
            DateRange::parse(Some("yesterday"), None, today)
                .unwrap_err()
                .field,
            "from"
        );
        assert_eq!(
            DateRange::parse(None, Some("2026-13-01"), today)
                .unwrap_err()
                .field,
            "to"
        );
        assert_eq!(
            DateRange::parse(Some("1990-01-01"), None, today)
                .unwrap_err()
                .field,
            "to"
        );
        let one = DateRange::parse(Some("2026-01-31"), Some("2026-01-31"), today).unwrap();
        assert_eq!(
            (one.start_text(), one.end_text()),
            ("2026-01-31T00:00:00".into(), "2026-02-01T00:00:00".into())
        );
    }

    #[test]
    fn a_range_splits_into_whole_years_then_months_then_days() {
        let split = |from, to| split_levels(range(from, to));
        let span = |a: &str, b: &str| (a.to_string(), b.to_string());
        let year = split(date!(2026 - 01 - 01), date!(2026 - 12 - 31));
        assert_eq!(year.years, span("2026", "2027"));
        assert!(year.months.iter().all(|(a, b)| a == b));
        assert!(year.days.iter().all(|(a, b)| a == b));
        let ragged = split(date!(2025 - 06 - 15), date!(2027 - 03 - 03));
        assert_eq!(ragged.years, span("2026", "2027"));
        assert_eq!(
            ragged.months,
            [span("2025-07", "2026-01"), span("2027-01", "2027-03")]
        );
        assert_eq!(
            ragged.days,
            [
                span("2025-06-15", "2025-07-01"),
                span("2027-03-01", "2027-03-04")
            ]
        );
        // Whole months across a new year, but no whole year: months only.
        let winter = split(date!(2025 - 11 - 01), date!(2026 - 02 - 28));
        assert_eq!(winter.years.0, winter.years.1);
        assert_eq!(winter.months[0], span("2025-11", "2026-03"));
        assert_eq!(winter.months[1].0, winter.months[1].1);
        let december = split(date!(2025 - 12 - 01), date!(2025 - 12 - 31));
        assert_eq!(december.months[0], span("2025-12", "2026-01"));
        assert_eq!(december.years.0, december.years.1);
        // Days only.
        let days = split(date!(2026 - 03 - 02), date!(2026 - 03 - 30));
        assert_eq!(days.years.0, days.years.1);
        assert!(days.months.iter().all(|(a, b)| a == b));
        assert_eq!(days.days[0], span("2026-03-02", "2026-03-31"));
    }

    #[test]
    fn a_range_splits_into_its_whole_months_and_the_days_at_its_ends() {
        let split = |from, to| split_months(range(from, to));
        let year = split(date!(2026 - 01 - 01), date!(2026 - 12 - 31));
        assert_eq!(year.months, Some(("2026-01".into(), "2026-12".into())));
        assert_eq!(year.head, ("2026-01-01".into(), "2026-01-01".into()));
        assert_eq!(year.tail, ("2027-01-01".into(), "2027-01-01".into()));
        let ragged = split(date!(2026 - 01 - 15), date!(2026 - 04 - 10));
        assert_eq!(ragged.months, Some(("2026-02".into(), "2026-03".into())));
        assert_eq!(ragged.head, ("2026-01-15".into(), "2026-02-01".into()));
        assert_eq!(ragged.tail, ("2026-04-01".into(), "2026-04-11".into()));
        // Inside one month, or across a month's end without a whole month: days only.
        for (from, to) in [
            (date!(2026 - 03 - 02), date!(2026 - 03 - 30)),
            (date!(2026 - 03 - 20), date!(2026 - 04 - 10)),
        ] {
            let days = split(from, to);
            assert_eq!(days.months, None);
            assert_eq!(
                days.head,
                (day_text(from), day_text(to.next_day().unwrap()))
            );
            assert_eq!(days.tail.0, days.tail.1);
        }
        let one_month = split(date!(2026 - 02 - 01), date!(2026 - 02 - 28));
        assert_eq!(one_month.months, Some(("2026-02".into(), "2026-02".into())));
        assert_eq!(one_month.head.0, one_month.head.1);
        assert_eq!(one_month.tail.0, one_month.tail.1);
    }
}
