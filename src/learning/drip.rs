//! Pure drip rule: a lesson opens a number of days after the learner's enrolment.

use time::{Duration, OffsetDateTime};

/// When a lesson with `available_after_days` opens for an enrolment started at `enrolled_at`.
pub fn available_at(enrolled_at: OffsetDateTime, available_after_days: i64) -> OffsetDateTime {
    enrolled_at + Duration::days(available_after_days.clamp(0, 36_500))
}

/// `None` when the lesson is open at `now`, else the moment it opens.
pub fn locked_until(
    enrolled_at: OffsetDateTime,
    available_after_days: i64,
    now: OffsetDateTime,
) -> Option<OffsetDateTime> {
    let opens = available_at(enrolled_at, available_after_days);
    (now < opens).then_some(opens)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_lesson_without_delay_is_open_at_once() {
        let start = datetime!(2026-03-01 09:00 UTC);
        assert_eq!(locked_until(start, 0, start), None);
    }

    #[test]
    fn a_dripped_lesson_opens_exactly_n_days_later() {
        let start = datetime!(2026-03-01 09:00 UTC);
        let opens = datetime!(2026-03-04 09:00 UTC);
        assert_eq!(
            locked_until(start, 3, start + Duration::days(2)),
            Some(opens)
        );
        assert_eq!(
            locked_until(start, 3, opens - Duration::seconds(1)),
            Some(opens)
        );
        assert_eq!(locked_until(start, 3, opens), None);
    }
}
