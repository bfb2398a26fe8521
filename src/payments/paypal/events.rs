//! What a PayPal webhook event asks of us, read from its JSON independent of the transport:
//! which of our records it names and what it says happened.

use serde_json::Value;

use super::amounts;
use crate::payments::gateway::IntentState;

/// The event types handled; every other type is acknowledged and ignored.
pub const HANDLED: &[&str] = &[
    "CHECKOUT.ORDER.APPROVED",
    "PAYMENT.CAPTURE.COMPLETED",
    "PAYMENT.CAPTURE.DENIED",
    "PAYMENT.CAPTURE.PENDING",
    "PAYMENT.CAPTURE.REFUNDED",
    "PAYMENT.CAPTURE.REVERSED",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaypalEvent {
    /// The buyer approved the order: capture it (they may never come back to the shop).
    OrderApproved {
        order_id: String,
    },
    /// A capture completed, was denied or is pending.
    Capture {
        order_id: Option<String>,
        capture_id: String,
        status: String,
        state: IntentState,
    },
    /// Money went back: `our_refund_id` when we sent it (`invoice_id` = `refund-<id>`).
    Refunded {
        capture_id: String,
        refund_id: String,
        our_refund_id: Option<String>,
        /// Everything refunded on the capture so far, when PayPal says.
        total_refunded_cents: Option<i64>,
        amount_cents: i64,
        status: String,
    },
    /// A chargeback or reversal: the buyer's money was taken back by PayPal.
    Reversed {
        capture_id: String,
        amount_cents: i64,
    },
    Other,
}

/// The capture a refund resource belongs to: its `up` link ends with the capture id.
fn capture_of(resource: &Value) -> Option<String> {
    resource["links"].as_array()?.iter().find_map(|l| {
        let href = l["href"].as_str()?;
        (l["rel"].as_str() == Some("up") && href.contains("/captures/"))
            .then(|| {
                href.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .map(str::to_string)
            })
            .flatten()
    })
}

fn cents(money: &Value) -> Option<i64> {
    let currency = money["currency_code"].as_str()?;
    amounts::to_cents(money["value"].as_str()?, currency)
}

/// Reads an event; `None` when a handled type lacks what we need (answered 400).
pub fn classify(event: &Value) -> Option<PaypalEvent> {
    let kind = event["event_type"].as_str().unwrap_or_default();
    let resource = &event["resource"];
    let id = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_string);
    Some(match kind {
        "CHECKOUT.ORDER.APPROVED" => PaypalEvent::OrderApproved {
            order_id: id(&resource["id"])?,
        },
        "PAYMENT.CAPTURE.COMPLETED" | "PAYMENT.CAPTURE.DENIED" | "PAYMENT.CAPTURE.PENDING" => {
            let state = match kind {
                // The event type says the money arrived; its amount is checked against ours.
                "PAYMENT.CAPTURE.COMPLETED" => IntentState::Succeeded {
                    amount_cents: cents(&resource["amount"])?,
                    currency: resource["amount"]["currency_code"]
                        .as_str()?
                        .to_ascii_uppercase(),
                },
                "PAYMENT.CAPTURE.DENIED" => IntentState::Failed {
                    message: "PayPal denied the payment: try again or choose another way to pay"
                        .into(),
                },
                _ => IntentState::Open,
            };
            PaypalEvent::Capture {
                order_id: id(&resource["supplementary_data"]["related_ids"]["order_id"]),
                capture_id: id(&resource["id"])?,
                status: resource["status"].as_str().unwrap_or_default().to_string(),
                state,
            }
        }
        "PAYMENT.CAPTURE.REFUNDED" => PaypalEvent::Refunded {
            capture_id: capture_of(resource)?,
            refund_id: id(&resource["id"])?,
            our_refund_id: resource["invoice_id"]
                .as_str()
                .and_then(|i| i.strip_prefix("refund-"))
                .map(str::to_string),
            total_refunded_cents: cents(
                &resource["seller_payable_breakdown"]["total_refunded_amount"],
            ),
            amount_cents: cents(&resource["amount"])?,
            status: resource["status"].as_str().unwrap_or_default().to_string(),
        },
        "PAYMENT.CAPTURE.REVERSED" => PaypalEvent::Reversed {
            capture_id: capture_of(resource).or_else(|| id(&resource["id"]))?,
            amount_cents: cents(&resource["amount"])?,
        },
        _ => PaypalEvent::Other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn up(capture: &str) -> Value {
        json!([{"rel": "up", "method": "GET",
            "href": format!("https://api-m.paypal.com/v2/payments/captures/{capture}")}])
    }

    #[test]
    fn each_handled_event_names_our_records() {
        let approved = json!({"event_type": "CHECKOUT.ORDER.APPROVED", "resource": {"id": "O1"}});
        assert_eq!(
            classify(&approved),
            Some(PaypalEvent::OrderApproved {
                order_id: "O1".into()
            })
        );
        let completed = json!({"event_type": "PAYMENT.CAPTURE.COMPLETED", "resource": {
            "id": "C1", "status": "COMPLETED", "amount": {"currency_code": "EUR", "value": "49.00"},
            "supplementary_data": {"related_ids": {"order_id": "O1"}}}});
        assert_eq!(
            classify(&completed),
            Some(PaypalEvent::Capture {
                order_id: Some("O1".into()),
                capture_id: "C1".into(),
                status: "COMPLETED".into(),
                state: IntentState::Succeeded {
                    amount_cents: 4900,
                    currency: "EUR".into()
                },
            })
        );
        let refunded = json!({"event_type": "PAYMENT.CAPTURE.REFUNDED", "resource": {
            "id": "R1", "status": "COMPLETED", "invoice_id": "refund-abc",
            "amount": {"currency_code": "EUR", "value": "10.00"},
            "seller_payable_breakdown": {"total_refunded_amount": {"currency_code": "EUR", "value": "15.00"}},
            "links": up("C1")}});
        assert_eq!(
            classify(&refunded),
            Some(PaypalEvent::Refunded {
                capture_id: "C1".into(),
                refund_id: "R1".into(),
                our_refund_id: Some("abc".into()),
                total_refunded_cents: Some(1500),
                amount_cents: 1000,
                status: "COMPLETED".into(),
            })
        );
        let reversed = json!({"event_type": "PAYMENT.CAPTURE.REVERSED", "resource": {
            "id": "R2", "amount": {"currency_code": "EUR", "value": "49.00"}, "links": up("C1")}});
        assert_eq!(
            classify(&reversed),
            Some(PaypalEvent::Reversed {
                capture_id: "C1".into(),
                amount_cents: 4900
            })
        );
        assert_eq!(
            classify(&json!({"event_type": "CUSTOMER.DISPUTE.CREATED", "resource": {}})),
            Some(PaypalEvent::Other)
        );
    }

    #[test]
    fn a_handled_event_without_its_ids_is_unreadable() {
        for event in [
            json!({"event_type": "CHECKOUT.ORDER.APPROVED", "resource": {}}),
            json!({"event_type": "PAYMENT.CAPTURE.COMPLETED", "resource": {"id": "C1", "status": "COMPLETED"}}),
            json!({"event_type": "PAYMENT.CAPTURE.REFUNDED", "resource": {"id": "R1"}}),
        ] {
            assert_eq!(classify(&event), None, "{event}");
        }
    }
}
