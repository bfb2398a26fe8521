//! Refund eligibility: a manual refund waits for staff, the refund window, course progress.

use reqwest::StatusCode;
use serde_json::json;

use super::{ask_refund, enrollment, manually_paid, order_status, payment_of};
use crate::support::{PASSWORD, TestApp, TestUser, assert_problem, spawn_app};

#[tokio::test]
async fn manual_refund_waits_for_staff_then_revokes_the_course() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let (course, order_id, payment_id) = manually_paid(&app, &admin, &buyer, 3000).await;
    let (_, refund) = ask_refund(&app, &buyer, &order_id, "not for me").await;
    assert_eq!(refund["status"], "requested");
    assert_eq!(refund["amount_cents"], 3000);
    assert_eq!(refund["eligibility"]["eligible"], true);
    assert_eq!(
        enrollment(&app, &buyer, &course).await.as_deref(),
        Some("active")
    );
    let id = refund["id"].as_str().unwrap();
    let (status, queue) = app
        .get("/api/admin/refunds?status=requested", Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(queue["total"], 1);
    let (status, done) = app
        .post(
            &format!("/api/admin/refunds/{id}/approve"),
            json!({"note": "paid back in cash"}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "processed");
    assert_eq!(
        enrollment(&app, &buyer, &course).await.as_deref(),
        Some("revoked")
    );
    assert_eq!(order_status(&app, &buyer, &order_id).await, "refunded");
    let payment = payment_of(&app, &buyer, &payment_id).await;
    assert_eq!(
        (
            payment["status"].as_str(),
            payment["refunded_cents"].as_i64()
        ),
        (Some("refunded"), Some(3000))
    );
    // Nothing is left to refund.
    let (status, problem) = app
        .post(
            "/api/refunds",
            json!({"order_id": order_id, "reason": "again", "amount_cents": 1}),
            Some(&buyer.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    let (status, problem) = app
        .post(
            &format!("/api/admin/refunds/{id}/reject"),
            json!({"note": "too late"}),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
}

#[tokio::test]
async fn refund_after_the_window_is_rejected_with_the_reason() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let (course, order_id, _) = manually_paid(&app, &admin, &buyer, 3000).await;
    app.state.clock.advance(time::Duration::days(15));
    let buyer = app.login(&buyer.email, PASSWORD).await;
    let (status, refund) = ask_refund(&app, &buyer, &order_id, "forgot").await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    assert_eq!(refund["status"], "rejected");
    assert_eq!(
        refund["eligibility"]["reasons"][0]["code"],
        "outside_window"
    );
    assert_eq!(
        enrollment(&app, &buyer, &course).await.as_deref(),
        Some("active")
    );
    // A rejected request does not hold the money: bad amounts are still refused clearly.
    for (amount, expected) in [
        (0, StatusCode::UNPROCESSABLE_ENTITY),
        (3001, StatusCode::CONFLICT),
    ] {
        let (status, problem) = app
            .post(
                "/api/refunds",
                json!({"order_id": order_id, "reason": "x", "amount_cents": amount}),
                Some(&buyer.token),
            )
            .await;
        assert_problem(status, &problem, expected);
    }
}

/// Gives the course `total` required lessons and marks `done` of them complete for the buyer.
async fn progress(app: &TestApp, buyer: &TestUser, course_id: &str, done: usize, total: usize) {
    let (uid, cid, now) = (
        buyer.id.clone(),
        course_id.to_string(),
        app.state.now_text(),
    );
    app.state
        .db
        .write(move |conn| {
            let section = uuid::Uuid::now_v7().to_string();
            conn.execute(
                "INSERT INTO sections (id, course_id, title, position, created_at, updated_at) VALUES (?1, ?2, 'Basics', 1, ?3, ?3)",
                rusqlite::params![section, cid, now],
            )?;
            let enrollment: String = conn.query_row(
                "SELECT id FROM enrollments WHERE user_id = ?1 AND course_id = ?2",
                rusqlite::params![uid, cid],
                |r| r.get(0),
            )?;
            for n in 0..total {
                let lesson = uuid::Uuid::now_v7().to_string();
                conn.execute(
                    "INSERT INTO lessons (id, course_id, section_id, title, content_type, position, created_at, updated_at) \
                     VALUES (?1, ?2, ?3, 'Lesson', 'reading', ?4, ?5, ?5)",
                    rusqlite::params![lesson, cid, section, n as i64, now],
                )?;
                if n < done {
                    conn.execute(
                        "INSERT INTO lesson_progress (enrollment_id, lesson_id, completed_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                        rusqlite::params![enrollment, lesson, now],
                    )?;
                }
            }
            Ok(())
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn a_course_mostly_watched_is_not_refundable_but_one_barely_started_is() {
    let app = spawn_app().await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let (watched, order_id, _) = manually_paid(&app, &admin, &buyer, 3000).await;
    progress(&app, &buyer, &watched, 2, 3).await;
    let (_, refund) = ask_refund(&app, &buyer, &order_id, "meh").await;
    assert_eq!(refund["status"], "rejected", "{refund}");
    let reason = &refund["eligibility"]["reasons"][0];
    assert_eq!(
        (reason["code"].as_str(), reason["progress_percent"].as_i64()),
        (Some("course_progress_too_high"), Some(66))
    );
    assert_eq!(
        enrollment(&app, &buyer, &watched).await.as_deref(),
        Some("active")
    );

    let (started, order_id, _) = manually_paid(&app, &admin, &buyer, 3000).await;
    progress(&app, &buyer, &started, 1, 4).await;
    let (_, refund) = ask_refund(&app, &buyer, &order_id, "meh").await;
    assert_eq!(
        (
            refund["status"].as_str(),
            refund["eligibility"]["eligible"].as_bool()
        ),
        (Some("requested"), Some(true)),
        "{refund}"
    );
}
