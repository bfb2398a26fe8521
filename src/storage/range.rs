//! The one byte range of a `Range` header, for streaming part of a stored object (the
//! local store leaves this to `tower_http::services::ServeFile`).

/// What to send for a `Range` header against an object of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Wanted {
    /// No usable range (none, not bytes, several ranges): the whole object, 200.
    Whole,
    /// Bytes `start..=end`, 206.
    Part { start: u64, end: u64 },
    /// A range that starts past the end, 416.
    Unsatisfiable,
}

/// Reads `bytes=a-b`, `bytes=a-` and `bytes=-n` (RFC 9110 §14.1.2). Several ranges are
/// answered with the whole object, which the RFC allows.
pub fn wanted(header: Option<&str>, size: u64) -> Wanted {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Wanted::Whole;
    };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Wanted::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let number = |text: &str| text.parse::<u64>().ok();
    match (first.is_empty(), last.is_empty()) {
        // The last n bytes.
        (true, false) => match number(last) {
            Some(0) => Wanted::Unsatisfiable,
            Some(_) if size == 0 => Wanted::Unsatisfiable,
            Some(n) => Wanted::Part {
                start: size.saturating_sub(n),
                end: size - 1,
            },
            None => Wanted::Whole,
        },
        (false, _) => {
            let Some(start) = number(first) else {
                return Wanted::Whole;
            };
            let end = if last.is_empty() {
                Some(u64::MAX)
            } else {
                number(last)
            };
            match end {
                None => Wanted::Whole,
                Some(end) if end < start => Wanted::Whole,
                Some(_) if start >= size => Wanted::Unsatisfiable,
                Some(end) => Wanted::Part {
                    start,
                    end: end.min(size - 1),
                },
            }
        }
        (true, true) => Wanted::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_range_is_cut_to_the_object() {
        assert_eq!(
            wanted(Some("bytes=5-14"), 100),
            Wanted::Part { start: 5, end: 14 }
        );
        assert_eq!(
            wanted(Some("bytes=90-200"), 100),
            Wanted::Part { start: 90, end: 99 }
        );
    }

    #[test]
    fn open_and_suffix_ranges_reach_the_end() {
        assert_eq!(
            wanted(Some("bytes=10-"), 100),
            Wanted::Part { start: 10, end: 99 }
        );
        assert_eq!(
            wanted(Some("bytes=-30"), 100),
            Wanted::Part { start: 70, end: 99 }
        );
        assert_eq!(
            wanted(Some("bytes=-300"), 100),
            Wanted::Part { start: 0, end: 99 }
        );
    }

    #[test]
    fn a_range_past_the_end_is_unsatisfiable() {
        assert_eq!(wanted(Some("bytes=100-"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=-0"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=-5"), 0), Wanted::Unsatisfiable);
    }

    #[test]
    fn anything_else_gets_the_whole_object() {
        for header in [
            None,
            Some("items=1-2"),
            Some("bytes=1-2,5-6"),
            Some("bytes=9-3"),
            Some("bytes=x-"),
        ] {
            assert_eq!(wanted(header, 100), Wanted::Whole, "{header:?}");
        }
    }
}
