//! The time source: the system clock, shifted in tests to check time-based rules.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Wall-clock time plus an adjustable offset (always zero outside tests).
#[derive(Clone, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
            + time::Duration::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: time::Duration) {
        self.offset_seconds
            .fetch_add(by.whole_seconds(), Ordering::Relaxed);
    }
}

const DAY_FORMAT: &[time::format_description::BorrowedFormatItem<'_>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// A `YYYY-MM-DD` day (surrounding spaces ignored).
pub fn parse_day(text: &str) -> Option<time::Date> {
    time::Date::parse(text.trim(), DAY_FORMAT).ok()
}

/// A day as `YYYY-MM-DD`, the form days are stored and asked for in.
pub fn day_text(date: time::Date) -> String {
    date.format(DAY_FORMAT).unwrap_or_default()
}

/// RFC 3339 text in UTC, the one time format stored in the database.
pub fn rfc3339(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}

pub fn parse_rfc3339(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok()
}
