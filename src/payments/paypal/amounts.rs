//! PayPal's money strings (`"12.50"`) to and from our integer minor units.

/// Currencies PayPal takes without decimals.
fn decimals(currency: &str) -> usize {
    match currency.to_ascii_uppercase().as_str() {
        "HUF" | "JPY" | "TWD" => 0,
        _ => 2,
    }
}

/// `1250, "EUR"` -> `"12.50"`; `1250, "JPY"` -> `"1250"`.
pub fn to_value(cents: i64, currency: &str) -> String {
    let d = decimals(currency);
    if d == 0 {
        return cents.to_string();
    }
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// `"12.50", "EUR"` -> `Some(1250)`; `None` for anything that is not a plain amount with at
/// most the currency's decimals (PayPal never sends more).
pub fn to_cents(value: &str, currency: &str) -> Option<i64> {
    let d = decimals(currency);
    let (whole, frac) = value.split_once('.').unwrap_or((value, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > d
        || whole.len() > 15
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let mut frac_cents: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    for _ in frac.len()..d {
        frac_cents *= 10;
    }
    whole
        .checked_mul(10i64.pow(d as u32))?
        .checked_add(frac_cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_round_trip_through_paypal_strings() {
        let cases = [
            (0, "EUR", "0.00"),
            (5, "EUR", "0.05"),
            (1250, "EUR", "12.50"),
            (100000, "USD", "1000.00"),
            (1250, "JPY", "1250"),
        ];
        for (cents, currency, text) in cases {
            assert_eq!(to_value(cents, currency), text);
            assert_eq!(to_cents(text, currency), Some(cents), "{text}");
        }
    }

    #[test]
    fn malformed_paypal_amounts_are_refused() {
        assert_eq!(to_cents("12.5", "EUR"), Some(1250));
        assert_eq!(to_cents("12", "EUR"), Some(1200));
        for bad in ["", "-1.00", "1.001", "1,00", "abc", "1.2.3", " 1.00"] {
            assert_eq!(to_cents(bad, "EUR"), None, "{bad:?}");
        }
        assert_eq!(to_cents("12.50", "JPY"), None);
    }
}
