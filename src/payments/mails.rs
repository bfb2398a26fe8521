//! Refund mail: queues the buyer's mail for a refund event into the outbox, inside the write
//! transaction of the event (request decided, money sent back, request turned down).

use rusqlite::Connection;

use super::model::{Refund, RefundStatus};
use super::store;
use crate::http::AppError;
use crate::mail::context::enqueue_with;
use crate::mail::refund_events::{self, Decision, RefundFacts};
use crate::mail::render::{PhraseArg, phrase_with};

enum Event<'a> {
    Requested(Decision),
    Processed,
    Rejected(&'a str),
}

/// "We received your refund request", with the decision taken on it.
pub fn requested(conn: &Connection, refund: &Refund, now: &str) -> Result<(), AppError> {
    let decision = match refund.status {
        RefundStatus::Rejected => Decision::Rejected(
            refund.eligibility["reasons"]
                .as_array()
                .map(|reasons| reasons.iter().filter_map(reason_phrase).collect())
                .unwrap_or_default(),
        ),
        RefundStatus::ReturnRequested => Decision::ReturnFirst,
        RefundStatus::Approved | RefundStatus::Processed => Decision::Approved,
        _ => Decision::Review,
    };
    send(conn, refund, Event::Requested(decision), now)
}

/// A refusal reason (`{"code", "message", <its fields>}`) as a phrase in the buyer's
/// locale: the catalogue's `refund-reason-<code>`, or the stored English message for a code
/// it does not know.
fn reason_phrase(reason: &serde_json::Value) -> Option<String> {
    let code = reason["code"].as_str().unwrap_or_default();
    let known = [
        "no_items",
        "outside_window",
        "course_progress_too_high",
        "certificate_issued",
        "bundle_progress_too_high",
        "digital_item_downloaded",
    ];
    if !known.contains(&code) {
        return reason["message"].as_str().map(str::to_string);
    }
    let mut args = Vec::new();
    if let Some(fields) = reason.as_object() {
        for (name, value) in fields {
            match value {
                _ if name == "code" || name == "message" => {}
                serde_json::Value::Number(n) => {
                    args.push((name.as_str(), PhraseArg::Number(n.as_i64().unwrap_or(0))))
                }
                serde_json::Value::String(s) => args.push((name.as_str(), PhraseArg::Text(s))),
                _ => {}
            }
        }
    }
    Some(phrase_with(&format!("refund-reason-{code}"), &args))
}

/// "We refunded ... for order ...".
pub fn processed(conn: &Connection, refund: &Refund, now: &str) -> Result<(), AppError> {
    send(conn, refund, Event::Processed, now)
}

/// "Your refund request was not approved", with the staff's note.
pub fn rejected(conn: &Connection, refund: &Refund, note: &str, now: &str) -> Result<(), AppError> {
    send(conn, refund, Event::Rejected(note), now)
}

fn send(conn: &Connection, refund: &Refund, event: Event<'_>, now: &str) -> Result<(), AppError> {
    let Some((name, email)) = store::recipient(conn, &refund.user_id)? else {
        return Ok(());
    };
    if email.is_empty() || crate::privacy::service::is_erased(&email) {
        return Ok(()); // the buyer's account is gone: nobody to write to
    }
    let order = store::order(conn, &refund.order_id)?.ok_or(AppError::NotFound("order"))?;
    let facts = RefundFacts {
        name: &name,
        order_id: &order.id,
        number: &order.number,
        amount_cents: refund.amount_cents,
        currency: &order.currency,
    };
    enqueue_with(conn, now, &email, |ctx| match &event {
        Event::Requested(decision) => refund_events::refund_requested(ctx, &facts, decision),
        Event::Processed => refund_events::refund_processed(ctx, &facts, &refund.reason),
        Event::Rejected(note) => refund_events::refund_rejected(ctx, &facts, note),
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::payments::BundleProgress;
    use crate::mail::render::resolve;
    use crate::payments::eligibility::IneligibleReason;

    fn every_reason() -> Vec<IneligibleReason> {
        vec![
            IneligibleReason::NoItems,
            IneligibleReason::OutsideWindow {
                days_since_payment: 1,
                window_days: 14,
            },
            IneligibleReason::OutsideWindow {
                days_since_payment: 30,
                window_days: 1,
            },
            IneligibleReason::CourseProgressTooHigh {
                course_id: "c1".into(),
                progress_percent: 80,
                max_progress_percent: 30,
            },
            IneligibleReason::CertificateIssued {
                course_id: "c1".into(),
            },
            IneligibleReason::BundleProgressTooHigh {
                bundle_id: "b1".into(),
                progress_percent: 50,
                max_progress_percent: 30,
                rule: BundleProgress::Average,
            },
            IneligibleReason::DigitalItemDownloaded {
                product_id: "p1".into(),
            },
        ]
    }

    #[test]
    fn every_refusal_reason_reads_in_english_as_its_message() {
        for reason in every_reason() {
            let stored = serde_json::to_value(&reason).unwrap();
            let phrase = reason_phrase(&stored).unwrap();
            assert_eq!(resolve("en", &phrase), reason.to_string());
        }
    }

    #[test]
    fn a_refusal_reason_is_told_in_french_with_french_plurals() {
        let reasons = every_reason();
        let (one, many) = (reasons[1].clone(), reasons[2].clone());
        let fr = |r: IneligibleReason| {
            resolve(
                "fr",
                &reason_phrase(&serde_json::to_value(&r).unwrap()).unwrap(),
            )
        };
        assert_eq!(
            fr(one),
            "un remboursement doit être demandé au plus 14 jours après le paiement, \
             et cette commande a été payée il y a 1 jour"
        );
        assert_eq!(
            fr(many),
            "un remboursement doit être demandé au plus 1 jour après le paiement, \
             et cette commande a été payée il y a 30 jours"
        );
    }

    #[test]
    fn a_reason_of_an_unknown_code_keeps_its_stored_message() {
        let stored = serde_json::json!({"code": "new_rule", "message": "a new rule says no"});
        assert_eq!(reason_phrase(&stored).unwrap(), "a new rule says no");
    }
}
