//! The Stripe emulator (localstripe) tests/run.sh starts: the card tests fail without it.

use reqwest::StatusCode;
use serde_json::Value;

use super::WEBHOOK_SECRET;
use crate::support::{TestApp, uuid_suffix};

pub(crate) struct Emulator {
    base: String,
    key: String,
    http: reqwest::Client,
}

/// The emulator tests/run.sh started; these tests do not skip themselves without it.
pub(crate) fn emulator() -> Emulator {
    let (Ok(base), Ok(key)) = (
        std::env::var("STRIPE_API_BASE"),
        std::env::var("STRIPE_SECRET_KEY"),
    ) else {
        panic!(
            "STRIPE_API_BASE and STRIPE_SECRET_KEY are not set: the Stripe emulator tests need \
             localstripe; run them through tests/run.sh (it starts the emulator), or start it with \
             tests/support/stripe/start.sh ENV_FILE and export the variables from ENV_FILE"
        );
    };
    Emulator {
        base: base.trim_end_matches('/').into(),
        key,
        http: crate::support::client(),
    }
}

fn form(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

impl Emulator {
    /// Sends a form-encoded request as the customer's browser (Stripe.js) would.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        pairs: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let response = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.key)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(pairs))
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Points the emulator's webhooks at this app (one registration per test app).
    pub(crate) async fn register_webhook(&self, app: &TestApp) {
        let url = app.url("/api/payments/webhook");
        let path = format!("/_config/webhooks/schoolhouse_{}", uuid_suffix());
        let (status, body) = self
            .call(
                reqwest::Method::POST,
                &path,
                &[("url", &url), ("secret", WEBHOOK_SECRET)],
            )
            .await;
        assert!(
            status.is_success(),
            "webhook registration failed: {status} {body}"
        );
    }

    /// Pays a PaymentIntent with a test card the way the card widget would.
    pub(crate) async fn pay(&self, pi: &str, card: &str) -> StatusCode {
        let path = format!("/v1/payment_intents/{pi}");
        let (status, body) = self
            .call(reqwest::Method::POST, &path, &[("payment_method", card)])
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        self.call(reqwest::Method::POST, &format!("{path}/confirm"), &[])
            .await
            .0
    }

    /// Changes an object at the emulator as another Stripe client (the Dashboard) would.
    pub(crate) async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Value {
        let (status, body) = self.call(reqwest::Method::POST, path, pairs).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// Reads one object from the emulator's API (`/v1/subscriptions/sub_..`).
    pub(crate) async fn get(&self, path: &str) -> Value {
        let (status, body) = self.call(reqwest::Method::GET, path, &[]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// Refunds `amount` (all that is left when `None`) of the PaymentIntent straight at the
    /// emulator, as staff would in Stripe's Dashboard, without the app knowing.
    pub(crate) async fn refund_in_dashboard(&self, pi: &str, amount: Option<i64>) -> Value {
        let amount = amount.map(|a| a.to_string());
        let mut pairs = vec![("payment_intent", pi)];
        if let Some(a) = amount.as_deref() {
            pairs.push(("amount", a));
        }
        let (status, body) = self
            .call(reqwest::Method::POST, "/v1/refunds", &pairs)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    pub(crate) async fn refunds_of(&self, pi: &str) -> Vec<Value> {
        let path = format!("/v1/refunds?payment_intent={pi}");
        let (status, body) = self.call(reqwest::Method::GET, &path, &[]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["data"].as_array().cloned().unwrap_or_default()
    }

    /// What the emulator has refunded of the PaymentIntent, in cents.
    pub(crate) async fn refunded_cents(&self, pi: &str) -> i64 {
        self.refunds_of(pi)
            .await
            .iter()
            .map(|r| r["amount"].as_i64().unwrap())
            .sum()
    }
}
