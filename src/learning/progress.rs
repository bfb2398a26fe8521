//! Pure progress rules: percent complete and time-spent heartbeat caps (when a course is
//! complete is `completion`'s rule).

use time::OffsetDateTime;

/// The most one heartbeat can credit, whatever the player claims.
pub const MAX_HEARTBEAT_SECONDS: i64 = 300;
/// Larger claims are refused as bad input rather than capped (a day).
pub const MAX_REPORTED_SECONDS: i64 = 86_400;

/// Completed required lessons over required lessons, as an integer 0..=100 (rounded down,
/// so 100 means everything is done). A course without required lessons is at 0.
pub fn percent(completed_required: i64, required: i64) -> i64 {
    if required <= 0 {
        return 0;
    }
    (completed_required.clamp(0, required) * 100) / required
}

/// Seconds to credit for a heartbeat claiming `reported` seconds: never more than
/// [`MAX_HEARTBEAT_SECONDS`], nor more than the wall time since `previous` (the enrolment's
/// previous heartbeat, or its start).
pub fn credited_seconds(
    reported: i64,
    previous: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> i64 {
    let mut credit = reported.clamp(0, MAX_HEARTBEAT_SECONDS);
    if let Some(previous) = previous {
        let elapsed = (now - previous).whole_seconds().max(0);
        credit = credit.min(elapsed);
    }
    credit
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;
    use time::macros::datetime;

    #[test]
    fn percent_is_an_integer_rounded_down() {
        assert_eq!(percent(0, 3), 0);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 66);
        assert_eq!(percent(3, 3), 100);
        assert_eq!(percent(5, 3), 100);
        assert_eq!(percent(0, 0), 0);
    }

    #[test]
    fn heartbeats_are_capped_by_wall_time_and_the_maximum() {
        let now = datetime!(2026-01-01 12:00 UTC);
        assert_eq!(
            credited_seconds(60, Some(now - Duration::seconds(90)), now),
            60
        );
        assert_eq!(
            credited_seconds(600, Some(now - Duration::seconds(90)), now),
            90
        );
        assert_eq!(
            credited_seconds(600, Some(now - Duration::hours(2)), now),
            300
        );
        assert_eq!(credited_seconds(600, None, now), 300);
        assert_eq!(
            credited_seconds(30, Some(now + Duration::seconds(5)), now),
            0
        );
        assert_eq!(credited_seconds(-5, None, now), 0);
    }
}
