//! The PayPal gateway (REST API v2): what a PayPal order and its capture mean for our
//! payment, capturing an approved order, and refunds through the capture. Every mutating call
//! carries a `PayPal-Request-Id` derived from our payment's or refund's id.

use reqwest::Method;
use serde_json::{Value, json};

use super::amounts;
use super::client::{PaypalClient, path_part};
use super::config::PaypalConfig;
use crate::payments::config::GatewayKind;
use crate::payments::gateway::{
    GatewayError, GatewayFuture, IntentState, PaymentGateway, RefundOutcome, SendRefund,
    StartPayment, Started,
};

pub struct PaypalGateway {
    client: PaypalClient,
}

/// What PayPal says of an order, with the capture holding its money when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub state: IntentState,
    pub capture_id: Option<String>,
    pub capture_status: Option<String>,
    /// The buyer approved and the order waits for its capture.
    pub approved: bool,
}

impl PaypalGateway {
    pub fn new(config: &PaypalConfig) -> PaypalGateway {
        PaypalGateway {
            client: PaypalClient::new(config),
        }
    }

    pub fn client(&self) -> &PaypalClient {
        &self.client
    }

    /// `POST /v2/checkout/orders` with `body`; answers the order id and the approval link.
    pub async fn create_order(
        &self,
        body: &Value,
        payment_id: &str,
    ) -> Result<(String, String), GatewayError> {
        let answer = self
            .client
            .call(
                Method::POST,
                "/v2/checkout/orders",
                Some(body),
                Some(&format!("order-{payment_id}")),
            )
            .await?;
        if !answer.status.is_success() {
            return Err(answer.into_error());
        }
        let id = answer.body["id"].as_str().unwrap_or_default().to_string();
        let link = approval_link(&answer.body).unwrap_or_default();
        if id.is_empty() || link.is_empty() {
            return Err(GatewayError::Unavailable(
                "PayPal's order has no id or no approval link".into(),
            ));
        }
        Ok((id, link))
    }

    /// The order's state now; an approved order is captured first (the capture's request id
    /// is our payment's, so every path that captures shares one capture).
    pub async fn settle(&self, order_id: &str, payment_id: &str) -> Result<Settled, GatewayError> {
        let order = self.client.get_order(order_id).await?;
        let settled = order_state(&order);
        if !settled.approved {
            return Ok(settled);
        }
        self.capture(order_id, payment_id).await
    }

    /// `POST /v2/checkout/orders/{id}/capture`.
    pub async fn capture(&self, order_id: &str, payment_id: &str) -> Result<Settled, GatewayError> {
        let path = format!("/v2/checkout/orders/{}/capture", path_part(order_id)?);
        let answer = self
            .client
            .call(
                Method::POST,
                &path,
                Some(&json!({})),
                Some(&format!("capture-{payment_id}")),
            )
            .await?;
        if answer.status.is_success() {
            return Ok(order_state(&answer.body));
        }
        match answer.issue().as_str() {
            // Captured by an earlier call without our request id (another server, a replay):
            // what counts is the order as it is.
            "ORDER_ALREADY_CAPTURED" => Ok(order_state(&self.client.get_order(order_id).await?)),
            "INSTRUMENT_DECLINED" | "PAYER_ACTION_REQUIRED" | "TRANSACTION_REFUSED" => {
                Ok(Settled {
                    state: IntentState::Failed {
                        message: "PayPal declined the payment: try again at PayPal with another \
                                  funding source, or choose another way to pay"
                            .into(),
                    },
                    capture_id: None,
                    capture_status: None,
                    approved: false,
                })
            }
            "ORDER_NOT_APPROVED" => Ok(Settled {
                state: IntentState::Open,
                capture_id: None,
                capture_status: None,
                approved: false,
            }),
            _ => Err(answer.into_error()),
        }
    }
}

/// The `payer-action` (or legacy `approve`) link the buyer is sent to.
pub fn approval_link(order: &Value) -> Option<String> {
    let links = order["links"].as_array()?;
    ["payer-action", "approve"].iter().find_map(|rel| {
        links
            .iter()
            .find(|l| l["rel"].as_str() == Some(rel))
            .and_then(|l| l["href"].as_str())
            .map(str::to_string)
    })
}

/// The first capture of the order's first purchase unit.
fn first_capture(order: &Value) -> Option<&Value> {
    order["purchase_units"][0]["payments"]["captures"]
        .as_array()
        .and_then(|c| c.first())
}

/// What a capture's status means for the payment: money received (also when refunded
/// since: it was received), denied, or not decided yet.
pub fn capture_state(capture: &Value) -> IntentState {
    let status = capture["status"].as_str().unwrap_or_default();
    match status {
        "COMPLETED" | "REFUNDED" | "PARTIALLY_REFUNDED" => {
            let currency = capture["amount"]["currency_code"]
                .as_str()
                .unwrap_or_default()
                .to_ascii_uppercase();
            match capture["amount"]["value"]
                .as_str()
                .and_then(|v| amounts::to_cents(v, &currency))
            {
                Some(amount_cents) => IntentState::Succeeded {
                    amount_cents,
                    currency,
                },
                // An amount we cannot read is not money we can match to the order.
                None => IntentState::Open,
            }
        }
        "DECLINED" | "FAILED" => IntentState::Failed {
            message: "PayPal declined the payment: try again or choose another way to pay".into(),
        },
        _ => IntentState::Open,
    }
}

/// What an order (as `GET` or capture answers it) means for the payment.
pub fn order_state(order: &Value) -> Settled {
    let capture = first_capture(order);
    let capture_id = capture.and_then(|c| c["id"].as_str()).map(str::to_string);
    let capture_status = capture
        .and_then(|c| c["status"].as_str())
        .map(str::to_string);
    let (state, approved) = match (order["status"].as_str().unwrap_or_default(), capture) {
        (_, Some(capture)) => (capture_state(capture), false),
        ("APPROVED", None) => (IntentState::Open, true),
        ("VOIDED", None) => (IntentState::Canceled, false),
        _ => (IntentState::Open, false),
    };
    Settled {
        state,
        capture_id,
        capture_status,
        approved,
    }
}

/// What a refund's status means for the refund flow.
pub fn refund_outcome(refund: &Value) -> RefundOutcome {
    let id = refund["id"].as_str().unwrap_or_default().to_string();
    match refund["status"].as_str().unwrap_or_default() {
        "COMPLETED" => RefundOutcome::Succeeded {
            gateway_refund_id: Some(id),
        },
        "FAILED" | "CANCELLED" => RefundOutcome::Failed {
            gateway_refund_id: Some(id).filter(|i| !i.is_empty()),
            message: refund["status_details"]["reason"]
                .as_str()
                .map(|r| format!("the refund failed at PayPal: {r}"))
                .unwrap_or_else(|| "the refund failed at PayPal".into()),
        },
        _ => RefundOutcome::Pending {
            gateway_refund_id: id,
        },
    }
}

impl PaymentGateway for PaypalGateway {
    fn kind(&self) -> GatewayKind {
        GatewayKind::Paypal
    }

    fn start<'a>(&'a self, _request: &'a StartPayment) -> GatewayFuture<'a, Started> {
        // A PayPal order needs the order's lines and the return addresses: `paypal::flow`.
        Box::pin(async move {
            Err(GatewayError::Rejected(
                "PayPal payments are started by the PayPal flow".into(),
            ))
        })
    }

    /// Reads the order without capturing: capturing belongs to the buyer's return, the
    /// webhook and reconciliation, which also record the capture.
    fn check<'a>(&'a self, transaction_id: &'a str) -> GatewayFuture<'a, Option<IntentState>> {
        Box::pin(async move {
            let order = self.client.get_order(transaction_id).await?;
            Ok(Some(order_state(&order).state))
        })
    }

    fn refund<'a>(&'a self, request: &'a SendRefund) -> GatewayFuture<'a, RefundOutcome> {
        Box::pin(async move {
            let order_id = request
                .transaction_id
                .as_deref()
                .ok_or_else(|| GatewayError::Rejected("the payment has no PayPal order".into()))?;
            let order = self.client.get_order(order_id).await?;
            let capture = first_capture(&order).ok_or_else(|| {
                GatewayError::Rejected("the PayPal order was never captured".into())
            })?;
            let capture_id = capture["id"].as_str().unwrap_or_default();
            let currency = capture["amount"]["currency_code"]
                .as_str()
                .unwrap_or_default();
            let body = json!({
                "amount": {
                    "value": amounts::to_value(request.amount_cents, currency),
                    "currency_code": currency,
                },
                "invoice_id": format!("refund-{}", request.refund_id),
                "note_to_payer": "Refund from the school",
            });
            let path = format!("/v2/payments/captures/{}/refund", path_part(capture_id)?);
            let answer = self
                .client
                .call(
                    Method::POST,
                    &path,
                    Some(&body),
                    Some(&format!("refund-{}", request.refund_id)),
                )
                .await?;
            if !answer.status.is_success() {
                return Err(answer.into_error());
            }
            Ok(refund_outcome(&answer.body))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(status: &str, capture: Option<(&str, &str)>) -> Value {
        let payments = capture.map(|(status, value)| {
            json!({"captures": [{"id": "CAP1", "status": status,
                "amount": {"currency_code": "EUR", "value": value}}]})
        });
        json!({"id": "O1", "status": status,
            "purchase_units": [{"payments": payments.unwrap_or(json!({}))}]})
    }

    #[test]
    fn only_a_completed_capture_is_money_received() {
        let cases = [
            (order("CREATED", None), IntentState::Open, false),
            (
                order("PAYER_ACTION_REQUIRED", None),
                IntentState::Open,
                false,
            ),
            (order("APPROVED", None), IntentState::Open, true),
            (order("VOIDED", None), IntentState::Canceled, false),
            (
                order("COMPLETED", Some(("COMPLETED", "12.50"))),
                IntentState::Succeeded {
                    amount_cents: 1250,
                    currency: "EUR".into(),
                },
                false,
            ),
            (
                order("COMPLETED", Some(("PENDING", "12.50"))),
                IntentState::Open,
                false,
            ),
            (
                order("COMPLETED", Some(("COMPLETED", "12,50"))),
                IntentState::Open,
                false,
            ),
        ];
        for (order, state, approved) in cases {
            let settled = order_state(&order);
            assert_eq!(settled.state, state, "{order}");
            assert_eq!(settled.approved, approved, "{order}");
        }
        assert!(matches!(
            order_state(&order("COMPLETED", Some(("DECLINED", "1.00")))).state,
            IntentState::Failed { .. }
        ));
    }

    #[test]
    fn refund_statuses_map_to_what_the_refund_flow_does() {
        assert_eq!(
            refund_outcome(&json!({"id": "R1", "status": "COMPLETED"})),
            RefundOutcome::Succeeded {
                gateway_refund_id: Some("R1".into())
            }
        );
        assert_eq!(
            refund_outcome(&json!({"id": "R1", "status": "PENDING"})),
            RefundOutcome::Pending {
                gateway_refund_id: "R1".into()
            }
        );
        assert!(matches!(
            refund_outcome(&json!({"id": "R1", "status": "FAILED"})),
            RefundOutcome::Failed { .. }
        ));
    }

    #[test]
    fn the_buyer_is_sent_to_the_payer_action_link() {
        let order = json!({"links": [
            {"rel": "self", "href": "https://x/self"},
            {"rel": "payer-action", "href": "https://x/checkoutnow?token=O1"}]});
        assert_eq!(
            approval_link(&order).as_deref(),
            Some("https://x/checkoutnow?token=O1")
        );
        assert_eq!(approval_link(&json!({"links": []})), None);
    }
}
