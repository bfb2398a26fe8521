//! `/metrics`: Prometheus text with per-route counts and latency, the token and the off
//! switch, and the business series (orders and payments by status, outbox backlog, webhook
//! failures, backup age and verification).

use reqwest::StatusCode;
use schoolhouse::http::AppError;
use serde_json::json;

use crate::commerce::{add, checkout, product};
use crate::support::{TestApp, spawn_app};
use crate::support::{assert_problem, spawn_app_with};

async fn scrape(app: &TestApp) -> String {
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    parse_prometheus(&text);
    text
}

/// The value of one exact series (`name{labels}`), if present.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .filter_map(|l| l.rsplit_once(' '))
        .find(|(s, _)| *s == series)
        .and_then(|(_, v)| v.parse().ok())
}

fn must(text: &str, series: &str) -> f64 {
    value(text, series).unwrap_or_else(|| panic!("no {series} in {text}"))
}

#[tokio::test]
async fn order_and_payment_gauges_rise_when_an_order_is_placed_and_paid_for() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let buyer = app.student().await;
    let before = scrape(&app).await;
    assert!(before.contains("# TYPE orders_by_status gauge"), "{before}");
    assert!(
        before.contains("# TYPE payments_by_status gauge"),
        "{before}"
    );
    assert_eq!(must(&before, "orders_by_status{status=\"pending\"}"), 0.0);
    assert_eq!(must(&before, "orders_by_status{status=\"refunded\"}"), 0.0);
    assert_eq!(must(&before, "payments_by_status{status=\"pending\"}"), 0.0);

    let book = product(&app, &admin.id, "Metrics Book", 1200, "digital", None).await;
    add(&app, &buyer.token, "product", &book, 1).await;
    let order = checkout(&app, &buyer.token).await;
    let after = scrape(&app).await;
    assert_eq!(must(&after, "orders_by_status{status=\"pending\"}"), 1.0);

    let (status, payment) = app
        .post(
            "/api/payments",
            json!({"order_id": order["id"], "gateway": "manual"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{payment}");
    let after = scrape(&app).await;
    assert_eq!(must(&after, "payments_by_status{status=\"pending\"}"), 1.0);
    assert_eq!(
        must(&after, "payments_by_status{status=\"completed\"}"),
        0.0
    );
}

#[tokio::test]
async fn the_outbox_backlog_counts_pending_and_given_up_mail() {
    let app = spawn_app().await;
    let before = scrape(&app).await;
    let failed_before = must(&before, "mail_outbox_backlog{state=\"failed\"}");
    assert!(value(&before, "mail_outbox_backlog{state=\"pending\"}").is_some());
    let attempts = app.state.config.mail.max_attempts;
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "INSERT INTO outbox (id, template, to_address, subject, body_text, body_html,
                    created_at, attempts, next_attempt_at, last_error)
                 VALUES ('metrics-gave-up', 'test', 'x@example.com', 's', 't', 'h',
                    '2026-01-01T00:00:00Z', ?1, '2026-01-01T00:00:00Z', 'relay refused')",
                [attempts],
            )?;
            Ok::<_, AppError>(())
        })
        .await
        .unwrap();
    let after = scrape(&app).await;
    assert_eq!(
        must(&after, "mail_outbox_backlog{state=\"failed\"}"),
        failed_before + 1.0
    );
}

#[tokio::test]
async fn refused_webhook_deliveries_are_counted() {
    let app = spawn_app().await;
    let before = must(&scrape(&app).await, "webhook_failures_total");
    let response = app
        .client
        .post(app.url("/api/payments/webhook"))
        .header("stripe-signature", "t=1,v1=forged")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let after = must(&scrape(&app).await, "webhook_failures_total");
    assert!(after >= before + 1.0, "{before} -> {after}");
}

#[tokio::test]
async fn backup_age_and_last_verification_appear_once_a_backup_was_taken() {
    let app = spawn_app().await;
    let before = scrape(&app).await;
    assert!(value(&before, "backup_age_seconds").is_none(), "{before}");
    schoolhouse::ops::schedule::tick(&app.state).await.unwrap();
    app.state.clock.advance(time::Duration::minutes(10));
    let after = scrape(&app).await;
    assert!(must(&after, "backup_age_seconds") >= 600.0, "{after}");
    assert_eq!(must(&after, "backup_last_verified"), 1.0);
}

/// Checks every line is a comment or `name{labels} value`; returns the sample names.
pub fn parse_prometheus(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if line.starts_with('#') {
            assert!(
                line.starts_with("# TYPE ") || line.starts_with("# HELP "),
                "bad comment: {line}"
            );
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("sample without value");
        assert!(value.parse::<f64>().is_ok(), "bad value in {line}");
        let name = series.split('{').next().unwrap();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "bad metric name in {line}"
        );
        if let Some(labels) = series.strip_prefix(name) {
            assert!(
                labels.is_empty() || (labels.starts_with('{') && labels.ends_with('}')),
                "bad labels in {line}"
            );
        }
        names.push(name.to_string());
    }
    names
}

#[tokio::test]
async fn metrics_are_prometheus_text_with_per_route_counts_and_latency() {
    let app = spawn_app().await;
    app.get("/healthz", None).await;
    app.get("/api/users/me", None).await;
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = response.text().await.unwrap();
    let names = parse_prometheus(&text);
    assert!(
        text.contains("# TYPE http_requests_total counter"),
        "{text}"
    );
    assert!(
        text.contains("# TYPE http_request_duration_seconds histogram"),
        "{text}"
    );
    assert!(
        text.contains("# TYPE http_requests_in_flight gauge"),
        "{text}"
    );
    assert!(
        names.iter().any(|n| n == "db_writer_commits_total"),
        "{text}"
    );
    let healthz = text
        .lines()
        .find(|l| {
            l.starts_with("http_requests_total{")
                && l.contains("route=\"/healthz\"")
                && l.contains("status=\"200\"")
        })
        .unwrap_or_else(|| panic!("no /healthz count in {text}"));
    assert!(healthz.rsplit_once(' ').unwrap().1.parse::<f64>().unwrap() >= 1.0);
    assert!(
        text.lines().any(|l| l.starts_with("http_requests_total{")
            && l.contains("route=\"/api/users/me\"")
            && l.contains("status=\"401\"")),
        "{text}"
    );
    assert!(
        text.contains("http_request_duration_seconds_bucket{"),
        "{text}"
    );
}

#[tokio::test]
async fn metrics_with_a_token_need_it_and_can_be_turned_off() {
    let app = spawn_app_with(|c| c.metrics.token = "scrape-secret".into()).await;
    let (status, body) = app.get("/metrics", None).await;
    assert_problem(status, &body, StatusCode::UNAUTHORIZED);
    let (status, body) = app.get("/metrics", Some("wrong")).await;
    assert_problem(status, &body, StatusCode::UNAUTHORIZED);
    let (status, body) = app.get("/metrics", Some("scrape-secret")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.as_str().unwrap().contains("# TYPE"));

    let off = spawn_app_with(|c| c.metrics.enabled = false).await;
    let (status, body) = off.get("/metrics", None).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
}
