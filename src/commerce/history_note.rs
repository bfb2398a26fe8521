//! Notes the system writes on an order's history, stored as the name of a catalogue message
//! with at most one count (`@payment-received`, `@hold-lapsed?minutes=30`): the buyer's order
//! page, the admin's and the mails say them in the reader's language (`order-note-<name>` in
//! the ui and server catalogues). A note staff type is kept and shown as typed.

use crate::i18n::{self, Args};
use crate::mail::render::{PhraseArg, phrase, phrase_with};

/// A note the system writes, by what happened to the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemNote {
    Placed,
    NothingToPay,
    PaymentReceived,
    NothingToShip,
    RefundProcessed,
    CancelledAndRefunded,
    RefundedAtStripe,
    RefundedAtPaypal,
    ReversedAtPaypal,
    CancelledByBuyer,
    CancelledByStaff,
    Cancelled,
    ManualHoldLapsed { days: i64 },
    HoldLapsed { minutes: i64 },
}

impl SystemNote {
    fn name(self) -> &'static str {
        match self {
            SystemNote::Placed => "placed",
            SystemNote::NothingToPay => "nothing-to-pay",
            SystemNote::PaymentReceived => "payment-received",
            SystemNote::NothingToShip => "nothing-to-ship",
            SystemNote::RefundProcessed => "refund-processed",
            SystemNote::CancelledAndRefunded => "cancelled-and-refunded",
            SystemNote::RefundedAtStripe => "refunded-at-stripe",
            SystemNote::RefundedAtPaypal => "refunded-at-paypal",
            SystemNote::ReversedAtPaypal => "reversed-at-paypal",
            SystemNote::CancelledByBuyer => "cancelled-by-buyer",
            SystemNote::CancelledByStaff => "cancelled-by-staff",
            SystemNote::Cancelled => "cancelled",
            SystemNote::ManualHoldLapsed { .. } => "manual-hold-lapsed",
            SystemNote::HoldLapsed { .. } => "hold-lapsed",
        }
    }

    /// The text stored in the order's history.
    pub fn stored(self) -> String {
        match self {
            SystemNote::ManualHoldLapsed { days } => format!("@{}?days={days}", self.name()),
            SystemNote::HoldLapsed { minutes } => format!("@{}?minutes={minutes}", self.name()),
            _ => format!("@{}", self.name()),
        }
    }
}

/// The catalogue key and count a stored system note names; `None` for a note staff typed.
pub fn parse(note: &str) -> Option<(String, Option<(&str, i64)>)> {
    let rest = note.strip_prefix('@')?;
    let (name, count) = match rest.split_once('?') {
        Some((name, arg)) => {
            let (arg, value) = arg.split_once('=')?;
            (name, Some((arg, value.parse().ok()?)))
        }
        None => (rest, None),
    };
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
    if !plain(name) || count.is_some_and(|(arg, _)| !plain(arg)) {
        return None;
    }
    Some((format!("order-note-{name}"), count))
}

/// The note inside a mail: a system note as a phrase in the recipient's locale, a typed one
/// as typed.
pub fn for_mail(note: &str) -> String {
    match parse(note) {
        Some((key, None)) => phrase(&key),
        Some((key, Some((arg, n)))) => phrase_with(&key, &[(arg, PhraseArg::Number(n))]),
        None => note.to_string(),
    }
}

/// The note in `locale` (for documents printed in one language), a typed one as typed.
pub fn in_locale(locale: &str, note: &str) -> String {
    match parse(note) {
        Some((key, count)) => {
            let args = match count {
                Some((arg, n)) => Args::new().number(arg, n),
                None => Args::new(),
            };
            i18n::t(locale, &key, &args)
        }
        None => note.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_system_note_is_stored_as_its_message_name_and_read_back() {
        assert_eq!(SystemNote::PaymentReceived.stored(), "@payment-received");
        assert_eq!(
            parse(&SystemNote::HoldLapsed { minutes: 30 }.stored()),
            Some(("order-note-hold-lapsed".into(), Some(("minutes", 30))))
        );
    }

    #[test]
    fn a_note_staff_typed_is_not_a_message() {
        for typed in [
            "",
            "left at the door",
            "@ home",
            "@Payment",
            "@x?days=many",
            "a@b",
        ] {
            assert_eq!(parse(typed), None, "{typed}");
            assert_eq!(for_mail(typed), typed);
            assert_eq!(in_locale("fr", typed), typed);
        }
    }

    #[test]
    fn every_system_note_reads_in_english_and_french() {
        let all = [
            SystemNote::Placed,
            SystemNote::NothingToPay,
            SystemNote::PaymentReceived,
            SystemNote::NothingToShip,
            SystemNote::RefundProcessed,
            SystemNote::CancelledAndRefunded,
            SystemNote::RefundedAtStripe,
            SystemNote::RefundedAtPaypal,
            SystemNote::ReversedAtPaypal,
            SystemNote::CancelledByBuyer,
            SystemNote::CancelledByStaff,
            SystemNote::Cancelled,
            SystemNote::ManualHoldLapsed { days: 7 },
            SystemNote::HoldLapsed { minutes: 30 },
        ];
        for note in all {
            let stored = note.stored();
            let (en, fr) = (in_locale("en", &stored), in_locale("fr", &stored));
            assert!(
                !en.is_empty() && !en.contains("order-note"),
                "{stored}: {en}"
            );
            assert!(!fr.is_empty() && fr != en, "{stored}: {fr}");
        }
        assert_eq!(
            in_locale("en", &SystemNote::ManualHoldLapsed { days: 7 }.stored()),
            "manual payment not confirmed within 7 days"
        );
        assert_eq!(
            in_locale("en", &SystemNote::CancelledByBuyer.stored()),
            "cancelled by the buyer"
        );
    }
}
