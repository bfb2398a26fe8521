//! One path to "paid": whatever endpoint moves an order, its status, its payment's status
//! and the buyer's access agree afterwards; manual payments keep their own, longer hold.

use serde_json::{Value, json};

use super::{course, product};
use crate::support::{TestApp, TestUser, spawn_app};

const PAID_FOR: &[&str] = &[
    "paid",
    "fulfilled",
    "shipped",
    "delivered",
    "partially_refunded",
];

/// The order's status, its payments' statuses and whether the buyer may open the course.
async fn facts(app: &TestApp, order_id: &str, course_id: &str) -> (String, Vec<String>, bool) {
    let (order, course) = (order_id.to_string(), course_id.to_string());
    app.state
        .db
        .read(move |conn| {
            let status: String =
                conn.query_row("SELECT status FROM orders WHERE id = ?1", [&order], |r| {
                    r.get(0)
                })?;
            let payments = conn
                .prepare("SELECT status FROM payments WHERE order_id = ?1 ORDER BY created_at")?
                .query_map([&order], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            let enrolled: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM enrollments e JOIN orders o ON o.user_id = e.user_id
                    WHERE o.id = ?1 AND e.course_id = ?2 AND e.status IN ('active', 'completed'))",
                [&order, &course],
                |r| r.get(0),
            )?;
            Ok::<_, schoolhouse::http::AppError>((status, payments, enrolled))
        })
        .await
        .unwrap()
}

/// Paid for ⇔ money captured ⇔ access; nothing awaits payment once the order is settled.
async fn assert_agree(app: &TestApp, order_id: &str, course_id: &str, step: &str) {
    let (status, payments, enrolled) = facts(app, order_id, course_id).await;
    let captured = payments
        .iter()
        .any(|p| p == "completed" || p == "partially_refunded");
    let paid_for = PAID_FOR.contains(&status.as_str());
    let seen = format!("{step}: order {status}, payments {payments:?}, enrolled {enrolled}");
    assert_eq!(paid_for, captured, "{seen}");
    assert_eq!(paid_for, enrolled, "{seen}");
    if status != "pending" {
        assert!(!payments.iter().any(|p| p == "pending"), "{seen}");
    }
}

struct Scene {
    app: TestApp,
    admin: TestUser,
    course: String,
}

/// A pending order of the course (plus a lamp when `physical`) by a new buyer, with no
/// payment started.
async fn unpaid_order(scene: &Scene, physical: bool) -> (TestUser, String) {
    let app = &scene.app;
    let buyer = app.student().await;
    let mut items = vec![json!({"item_type": "course", "item_id": scene.course})];
    if physical {
        let lamp = product(app, &scene.admin.id, "Lamp", 1000, "physical", Some(50)).await;
        items.push(json!({"item_type": "product", "item_id": lamp}));
    }
    let body = json!({"items": items, "shipping_address": {"name": "Ada", "line1": "1 St",
        "city": "London", "postal_code": "N1", "country": "GB"}});
    let (status, order) = app.post("/api/orders", body, Some(&buyer.token)).await;
    assert_eq!(status, 201, "{order}");
    (buyer, order["id"].as_str().unwrap().to_string())
}

/// A pending order of the course (plus a lamp when `physical`), with a manual payment started.
async fn order(scene: &Scene, physical: bool) -> (TestUser, String, String) {
    let (buyer, order_id) = unpaid_order(scene, physical).await;
    let (status, payment) = scene
        .app
        .post(
            "/api/payments",
            json!({"order_id": order_id, "gateway": "manual"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, 201, "{payment}");
    (buyer, order_id, payment["id"].as_str().unwrap().to_string())
}

async fn confirm(scene: &Scene, payment_id: &str) -> u16 {
    let path = format!("/api/admin/payments/{payment_id}/confirm");
    let (status, _) = scene
        .app
        .post(&path, json!({}), Some(&scene.admin.token))
        .await;
    status.as_u16()
}

async fn record_payment(scene: &Scene, order_id: &str) -> (u16, Value) {
    let path = format!("/api/admin/orders/{order_id}/record-payment");
    let (status, body) = scene
        .app
        .post(&path, json!({}), Some(&scene.admin.token))
        .await;
    (status.as_u16(), body)
}

async fn set_status(scene: &Scene, order_id: &str, to: &str) -> (u16, Value) {
    let path = format!("/api/orders/{order_id}/status");
    let (status, body) = scene
        .app
        .put(&path, json!({"status": to}), Some(&scene.admin.token))
        .await;
    (status.as_u16(), body)
}

#[tokio::test]
async fn every_status_changing_endpoint_leaves_order_payment_and_access_in_agreement() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let course = course(&app, &admin.id, "Pottery", 2900, "published").await;
    let scene = Scene { app, admin, course };
    let all = [
        "pending",
        "paid",
        "fulfilled",
        "shipped",
        "delivered",
        "cancelled",
        "refunded",
        "partially_refunded",
    ];
    for physical in [false, true] {
        // A status edit to each status, from pending and from paid.
        for to in all {
            let (_, order_id, payment_id) = order(&scene, physical).await;
            let (status, body) = set_status(&scene, &order_id, to).await;
            let step = format!("pending -> {to} (physical {physical})");
            assert!(status == 200 || status == 409, "{step}: {body}");
            assert_agree(&scene.app, &order_id, &scene.course, &step).await;
            if to == "paid" {
                assert_eq!(status, 409, "{step}: {body}");
                assert_eq!(body["payment_id"], payment_id.as_str(), "{step}");
            }

            let (_, order_id, payment_id) = order(&scene, physical).await;
            assert_eq!(confirm(&scene, &payment_id).await, 200);
            assert_agree(&scene.app, &order_id, &scene.course, "confirmed").await;
            let (status, body) = set_status(&scene, &order_id, to).await;
            let step = format!("paid -> {to} (physical {physical})");
            assert!(status == 200 || status == 409, "{step}: {body}");
            assert_agree(&scene.app, &order_id, &scene.course, &step).await;
            assert_eq!(
                confirm(&scene, &payment_id).await,
                409,
                "{step}: confirmed again"
            );
            assert_agree(&scene.app, &order_id, &scene.course, &step).await;
        }

        // The buyer cancels, unpaid and paid (a paid cancel is a refund of the whole order).
        for paid in [false, true] {
            let (buyer, order_id, payment_id) = order(&scene, physical).await;
            if paid {
                assert_eq!(confirm(&scene, &payment_id).await, 200);
            }
            let path = format!("/api/orders/{order_id}");
            scene.app.delete(&path, Some(&buyer.token)).await;
            let step = format!("buyer cancels (paid {paid}, physical {physical})");
            assert_agree(&scene.app, &order_id, &scene.course, &step).await;
            assert_eq!(
                confirm(&scene, &payment_id).await,
                409,
                "{step}: then confirmed"
            );
            assert_agree(&scene.app, &order_id, &scene.course, &step).await;
        }

        // Staff record money paid at the office: for an order whose buyer chose it online
        // (that payment is confirmed) and for one whose buyer chose nothing; never twice.
        let (_, order_id, payment_id) = order(&scene, physical).await;
        let (status, recorded) = record_payment(&scene, &order_id).await;
        assert_eq!(status, 200, "{recorded}");
        assert_eq!(recorded["id"], payment_id.as_str());
        assert_agree(
            &scene.app,
            &order_id,
            &scene.course,
            "recorded (chosen online)",
        )
        .await;
        let (_, walked_in) = unpaid_order(&scene, physical).await;
        let (status, recorded) = record_payment(&scene, &walked_in).await;
        assert_eq!(status, 200, "{recorded}");
        assert_eq!(recorded["status"], "completed");
        assert_agree(
            &scene.app,
            &walked_in,
            &scene.course,
            "recorded (nothing chosen)",
        )
        .await;
        let (status, again) = record_payment(&scene, &walked_in).await;
        assert_eq!(status, 409, "recorded twice: {again}");
        assert_agree(&scene.app, &walked_in, &scene.course, "recorded twice").await;

        // The buyer asks for a refund of a paid order.
        let (buyer, order_id, payment_id) = order(&scene, physical).await;
        assert_eq!(confirm(&scene, &payment_id).await, 200);
        scene
            .app
            .post(
                "/api/refunds",
                json!({"order_id": order_id, "reason": "changed my mind"}),
                Some(&buyer.token),
            )
            .await;
        let step = format!("refund requested (physical {physical})");
        assert_agree(&scene.app, &order_id, &scene.course, &step).await;
    }

    // The expiry job, after the ordinary hold and after the manual one.
    let (_, order_id, _) = order(&scene, false).await;
    let (_, unpaid_id) = unpaid_order(&scene, false).await;
    let unpaid_id = unpaid_id.as_str();
    for days in [1, 8] {
        scene.app.state.clock.advance(time::Duration::days(days));
        schoolhouse::commerce::service::expire_reservations(
            &scene.app.state,
            scene.app.state.now(),
        )
        .await
        .unwrap();
        for id in [order_id.as_str(), unpaid_id] {
            assert_agree(
                &scene.app,
                id,
                &scene.course,
                &format!("expiry after {days} days"),
            )
            .await;
        }
    }
    assert_eq!(
        facts(&scene.app, &order_id, &scene.course).await.0,
        "cancelled"
    );
}

#[tokio::test]
async fn lapsed_holds_are_cancelled_in_short_writes_past_the_holds_that_stay() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let course = course(&app, &admin.id, "Pottery", 2900, "published").await;
    let scene = Scene { app, admin, course };
    // The oldest holds are manual payments, which stay for days: a batch that started over
    // at the oldest hold would see only them and never reach the lapsed ones behind.
    let mut manual = Vec::new();
    for _ in 0..3 {
        manual.push(order(&scene, false).await.1);
    }
    let mut lapsing = Vec::new();
    for physical in [false, true, false, true, false] {
        lapsing.push(unpaid_order(&scene, physical).await.1);
    }
    scene.app.state.clock.advance(time::Duration::minutes(31));
    let commits = || scene.app.state.db.writer_stats().unwrap().commits;
    let before = commits();
    let cancelled = schoolhouse::commerce::service::expire_reservations_by(
        &scene.app.state,
        scene.app.state.now(),
        2,
    )
    .await
    .unwrap();
    assert_eq!(cancelled, 5);
    // Eight holds, two a write: four full batches and the empty one that ends the run
    // (the mail sender may commit beside them).
    assert!(commits() - before >= 5, "{} commits", commits() - before);
    let (app, course) = (&scene.app, scene.course.as_str());
    for id in &lapsing {
        assert_eq!(facts(app, id, course).await.0, "cancelled");
    }
    for id in &manual {
        assert_eq!(facts(app, id, course).await.0, "pending");
    }
}

#[tokio::test]
async fn a_manual_payment_holds_its_order_for_days_and_staff_are_told_a_day_before() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let course = course(&app, &admin.id, "Pottery", 2900, "published").await;
    let scene = Scene { app, admin, course };
    let (_, manual_id, _) = order(&scene, true).await;
    let (_, card_id) = unpaid_order(&scene, false).await;
    let expire = || async {
        schoolhouse::commerce::service::expire_reservations(&scene.app.state, scene.app.state.now())
            .await
            .unwrap()
    };
    // Read from the database: the test's tokens expire while the clock moves on by days.
    let (app, course) = (&scene.app, scene.course.as_str());
    let status = |id: String| async move { facts(app, &id, course).await.0 };
    let reminders = || async {
        scene
            .app
            .mails_to(&scene.admin.email)
            .await
            .into_iter()
            .filter(|(template, _)| template == "manual_hold_lapsing")
            .count()
    };

    scene.app.state.clock.advance(time::Duration::minutes(31));
    assert_eq!(
        expire().await,
        1,
        "the order without a manual payment lapses"
    );
    assert_eq!(status(card_id).await, "cancelled");
    assert_eq!(status(manual_id.clone()).await, "pending");

    scene.app.state.clock.advance(time::Duration::days(5));
    assert_eq!(expire().await, 0);
    assert_eq!(reminders().await, 0, "no reminder two days ahead");

    scene.app.state.clock.advance(time::Duration::days(1));
    assert_eq!(expire().await, 0);
    assert_eq!(reminders().await, 1, "staff are told within the last day");
    let (_, mail) = scene
        .app
        .mails_to(&scene.admin.email)
        .await
        .into_iter()
        .find(|(t, _)| t == "manual_hold_lapsing")
        .unwrap();
    assert!(
        mail.text.contains(&format!("/admin/orders/{manual_id}")),
        "{}",
        mail.text
    );
    assert_eq!(expire().await, 0);
    assert_eq!(reminders().await, 1, "once");

    scene.app.state.clock.advance(time::Duration::days(1));
    assert_eq!(expire().await, 1);
    assert_eq!(status(manual_id.clone()).await, "cancelled");
    let id = manual_id.clone();
    let note: String = scene
        .app
        .state
        .db
        .read(move |conn| {
            Ok::<_, schoolhouse::http::AppError>(conn.query_row(
                "SELECT note FROM order_events WHERE order_id = ?1 ORDER BY rowid DESC LIMIT 1",
                [id],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    // Stored as the message the buyer's page and mails say in the reader's language.
    assert_eq!(note, "@manual-hold-lapsed?days=7");
    assert_eq!(
        schoolhouse::commerce::history_note::in_locale("en", &note),
        "manual payment not confirmed within 7 days"
    );
    assert_eq!(
        facts(&scene.app, &manual_id, &scene.course).await.1,
        ["failed"]
    );
}

#[tokio::test]
async fn only_staff_record_a_payment_and_only_for_an_order_that_exists() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let course = course(&app, &admin.id, "Pottery", 2900, "published").await;
    let scene = Scene { app, admin, course };
    let (buyer, order_id, _) = order(&scene, false).await;
    let path = format!("/api/admin/orders/{order_id}/record-payment");
    let (status, body) = scene.app.post(&path, json!({}), Some(&buyer.token)).await;
    assert_eq!(status, 403, "{body}");
    assert_agree(&scene.app, &order_id, &scene.course, "a buyer tried").await;
    assert_eq!(
        facts(&scene.app, &order_id, &scene.course).await.0,
        "pending"
    );
    let (status, body) = record_payment(&scene, "no-such-order").await;
    assert_eq!(status, 404, "{body}");
}
