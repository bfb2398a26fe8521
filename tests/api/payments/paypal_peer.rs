//! The PayPal stand-in and its validating proxy (tests/support/paypal, started by
//! tests/run.sh): configuration for the app, the buyer's clicks at PayPal, the stand-in's test
//! controls, and the proxy's record of contract violations.

use reqwest::StatusCode;
use schoolhouse::config::Config;
use schoolhouse::payments::config::GatewayKind;
use serde_json::{Value, json};

use crate::payments::{course, order_of, order_status};
use crate::support::{TestApp, TestUser, client, spawn_app_with};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: start the PayPal stand-in with tests/support/paypal/start.sh \
             and source the env file it writes (tests/run.sh does both)"
        )
    })
}

/// PayPal (and manual payments) on, pointed at the validating proxy.
pub fn with_paypal(config: &mut Config) {
    config.payments.gateways = vec![GatewayKind::Paypal, GatewayKind::Manual];
    let p = &mut config.payments.paypal;
    p.api_base = env("PAYPAL_API_BASE");
    p.client_id = env("PAYPAL_CLIENT_ID");
    p.client_secret = env("PAYPAL_CLIENT_SECRET");
    p.webhook_id = env("PAYPAL_WEBHOOK_ID");
}

pub struct Peer {
    pub base: String,
    http: reqwest::Client,
}

/// The stand-in; panics (failing the test) when it is not running.
pub async fn peer() -> Peer {
    let _ = client(); // installs the TLS provider reqwest needs
    let peer = Peer {
        base: env("PAYPAL_API_BASE"),
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
    };
    let answer = peer
        .http
        .get(format!("{}/__violations", peer.base))
        .send()
        .await;
    assert!(
        answer.is_ok_and(|a| a.status() == StatusCode::OK),
        "the PayPal stand-in at {} does not answer",
        peer.base
    );
    peer
}

impl Peer {
    pub async fn control(&self, path: &str, body: Value) -> Value {
        let answer = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
        answer.json().await.unwrap()
    }

    pub async fn get(&self, path: &str) -> Value {
        let answer = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        answer.json().await.unwrap()
    }

    /// The buyer clicks "Pay Now" (or cancels) on PayPal's approval page; answers where PayPal
    /// sends them back.
    pub async fn buyer(&self, approve_url: &str, approve: bool) -> String {
        let page = self.http.get(approve_url).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{approve_url}");
        let token = approve_url.split("token=").nth(1).unwrap();
        let action = if approve { "approve" } else { "cancel" };
        let answer = self
            .http
            .post(format!("{}/checkoutnow/{action}", self.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("token={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        answer.headers()["location"].to_str().unwrap().to_string()
    }

    /// Sends the order's undelivered events to the app; answers each delivery.
    pub async fn deliver(&self, app: &TestApp, order_id: &str) -> Vec<Value> {
        let answers = self
            .control(
                "/__deliver",
                json!({"order_id": order_id, "target": app.url("/api/payments/webhook/paypal")}),
            )
            .await;
        answers.as_array().unwrap().clone()
    }

    /// Sends one event again (as PayPal does when it saw no 2xx, or just because).
    pub async fn redeliver(&self, app: &TestApp, event_id: &str) -> Value {
        let answers = self
            .control(
                &format!("/__events/{event_id}/deliver"),
                json!({"target": app.url("/api/payments/webhook/paypal")}),
            )
            .await;
        answers[0].clone()
    }

    pub async fn stats(&self) -> Value {
        self.get("/__stats").await
    }

    /// Every request the app sent and every answer the stand-in gave so far kept PayPal's
    /// published contract.
    pub async fn assert_no_violations(&self) {
        let violations = self.get("/__violations").await;
        assert_eq!(
            violations,
            json!([]),
            "requests or answers broke PayPal's OpenAPI description"
        );
    }
}

/// Starts a PayPal payment of the buyer's order: the view with its approval link.
pub async fn start(app: &TestApp, buyer: &TestUser, order_id: &str) -> Value {
    let (status, payment) = app
        .post(
            "/api/payments",
            json!({"order_id": order_id, "gateway": "paypal"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{payment}");
    assert_eq!(payment["gateway"], "paypal");
    assert!(payment["approve_url"].as_str().is_some(), "{payment}");
    payment
}

/// The buyer's browser lands on the return page, which reports the return to the API.
pub async fn returned(app: &TestApp, buyer: &TestUser, payment_id: &str) -> (StatusCode, Value) {
    app.post(
        &format!("/api/payments/{payment_id}/paypal/return"),
        json!({}),
        Some(&buyer.token),
    )
    .await
}

/// The capture id the app recorded for a payment.
pub async fn capture_id(app: &TestApp, payment_id: &str) -> String {
    let id = payment_id.to_string();
    app.state
        .db
        .read(move |conn| Ok(schoolhouse::payments::paypal::store::get(conn, &id)?))
        .await
        .unwrap()
        .and_then(|p| p.capture_id)
        .expect("a capture recorded")
}

/// The payment row's status, read from the database.
pub async fn payment_status(app: &TestApp, payment_id: &str) -> String {
    let id = payment_id.to_string();
    app.state
        .db
        .read(move |conn| Ok(schoolhouse::payments::store::payment(conn, &id)?))
        .await
        .unwrap()
        .unwrap()
        .status
        .as_str()
        .to_string()
}

/// A fresh app with PayPal, an admin selling two courses, a buyer and their pending order.
pub struct Shop {
    pub app: TestApp,
    pub peer: Peer,
    pub admin: TestUser,
    pub buyer: TestUser,
    pub courses: Vec<String>,
    pub order: Value,
}

pub async fn shop(prices: &[i64]) -> Shop {
    let peer = peer().await;
    let app = spawn_app_with(with_paypal).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let mut courses = Vec::new();
    for price in prices {
        courses.push(course(&app, &admin, *price).await);
    }
    let ids: Vec<&str> = courses.iter().map(String::as_str).collect();
    let order = order_of(&app, &buyer, &ids).await;
    Shop {
        app,
        peer,
        admin,
        buyer,
        courses,
        order,
    }
}

impl Shop {
    pub fn order_id(&self) -> &str {
        self.order["id"].as_str().unwrap()
    }

    pub fn item(&self, course: &str) -> Value {
        self.order["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["item_id"] == course)
            .unwrap()["id"]
            .clone()
    }

    /// Start, approve at PayPal, come back: the paid payment.
    pub async fn pay(&self) -> Value {
        let payment = start(&self.app, &self.buyer, self.order_id()).await;
        self.peer
            .buyer(payment["approve_url"].as_str().unwrap(), true)
            .await;
        let (status, paid) =
            returned(&self.app, &self.buyer, payment["id"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{paid}");
        assert_eq!(paid["status"], "completed", "{paid}");
        paid
    }

    /// Start, tell the stand-in how its capture will go (`pending`, `decline`), approve at
    /// PayPal: the payment and its PayPal order id, before the buyer comes back.
    pub async fn approved_with_capture(&self, mode: &str) -> (Value, String) {
        let payment = start(&self.app, &self.buyer, self.order_id()).await;
        let order_id = self.paypal_order(&payment).await;
        self.peer
            .control(
                &format!("/__orders/{order_id}/capture_mode"),
                json!({ "mode": mode }),
            )
            .await;
        self.peer
            .buyer(payment["approve_url"].as_str().unwrap(), true)
            .await;
        (payment, order_id)
    }

    /// The buyer's bank takes the payment's capture back at PayPal (a chargeback): the
    /// stand-in's `PAYMENT.CAPTURE.REVERSED` event and the app's answer to it.
    pub async fn reverse(&self, paid: &Value) -> (Value, Value) {
        let capture = capture_id(&self.app, paid["id"].as_str().unwrap()).await;
        let event = self
            .peer
            .control(&format!("/__captures/{capture}/reverse"), json!({}))
            .await;
        let answer = self
            .peer
            .redeliver(&self.app, event["id"].as_str().unwrap())
            .await;
        (event, answer)
    }

    pub async fn order_status(&self) -> String {
        order_status(&self.app, &self.buyer, self.order_id()).await
    }

    pub async fn paypal_order(&self, payment: &Value) -> String {
        payment["transaction_id"].as_str().unwrap().to_string()
    }
}

pub fn outcomes(deliveries: &[Value]) -> Vec<(String, String)> {
    deliveries
        .iter()
        .map(|d| {
            assert_eq!(d["status"], 200, "{d}");
            (
                d["event_type"].as_str().unwrap().to_string(),
                d["body"]["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
