//! Access: refunds revoke access and certificates, time-spent heartbeats are capped, and a
//! drip-locked lesson says when it opens.

use reqwest::StatusCode;
use schoolhouse::learning::model::EnrollmentSource;
use schoolhouse::learning::service;
use schoolhouse::learning::store::enrollments;
use serde_json::{Value, json};

use super::rules::progress;
use super::{Spec, complete, course, enroll, instructor, lesson, question, spec};
use crate::support::{PASSWORD, TestApp, assert_problem, spawn_app};

async fn grant_by_order(app: &TestApp, user_id: &str, course_id: &str, order_id: &str) {
    let (user_id, course_id, order_id, now) = (
        user_id.to_string(),
        course_id.to_string(),
        order_id.to_string(),
        app.state.now_text(),
    );
    app.state
        .db
        .write(move |conn| {
            service::grant_enrollment(
                conn,
                &user_id,
                &course_id,
                EnrollmentSource::Order,
                Some(&order_id),
                &now,
            )
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn a_refund_revokes_access_and_the_certificate_and_a_repurchase_restores_progress() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 2500, "published").await;
    let reading = lesson(&app, &course_id, spec("reading")).await;
    let quiz = lesson(
        &app,
        &course_id,
        Spec {
            required: false,
            ..spec("quiz")
        },
    )
    .await;
    question(&app, &quiz, "true_false", Value::Null, json!(false)).await;
    let student = app.student().await;

    grant_by_order(&app, &student.id, &course_id, "order-1").await;
    let (status, _) = app
        .post(
            &format!("/api/courses/{course_id}/enroll"),
            json!({}),
            Some(&student.token),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a bought course is already enrolled"
    );
    assert_eq!(
        complete(&app, &course_id, &reading, &student).await["status"],
        "completed"
    );
    let (_, mine) = app.get("/api/users/me/courses", Some(&student.token)).await;
    let serial = mine["items"][0]["certificate_serial"]
        .as_str()
        .unwrap()
        .to_string();

    let (now, uid, cid) = (app.state.now_text(), student.id.clone(), course_id.clone());
    let revoked = app
        .state
        .db
        .write(move |conn| {
            let enrollment = enrollments::find(conn, &uid, &cid)?.expect("enrolled");
            service::revoke_enrollment(conn, &enrollment, &now)
        })
        .await
        .unwrap();
    assert_eq!(revoked.status.as_str(), "revoked");

    let (status, body) = progress(
        &app,
        &course_id,
        json!({ "lesson_id": reading, "time_spent_seconds": 5 }),
        &student,
    )
    .await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    let (status, body) = app
        .get(&format!("/api/lessons/{quiz}/quiz"), Some(&student.token))
        .await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    let (status, body) = app
        .get(
            &format!("/api/courses/{course_id}/certificate"),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::GONE);
    let (_, check) = app.get(&format!("/api/certificates/{serial}"), None).await;
    assert_eq!(check["valid"], false);
    assert!(check["revoked_at"].is_string());
    let (status, body) = app
        .post(
            &format!("/api/courses/{course_id}/enroll"),
            json!({}),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::PAYMENT_REQUIRED);

    grant_by_order(&app, &student.id, &course_id, "order-2").await;
    let (_, back) = app
        .get(
            &format!("/api/courses/{course_id}/progress"),
            Some(&student.token),
        )
        .await;
    assert_eq!(back["percent"], 100, "progress was kept: {back}");
    assert_eq!(back["status"], "completed");
    let (_, mine) = app.get("/api/users/me/courses", Some(&student.token)).await;
    let new_serial = mine["items"][0]["certificate_serial"].as_str().unwrap();
    assert_ne!(new_serial, serial);
    let (_, old) = app.get(&format!("/api/certificates/{serial}"), None).await;
    assert_eq!(
        old["valid"], false,
        "the refunded certificate stays revoked"
    );
}

#[tokio::test]
async fn time_spent_heartbeats_are_capped_and_bad_values_refused() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    let video = lesson(&app, &course_id, spec("video")).await;
    let student = app.student().await;
    enroll(&app, &course_id, &student).await;
    app.state.clock.advance(time::Duration::hours(1));
    let student = app.login(&student.email, PASSWORD).await;
    let beat = |seconds: i64| {
        progress(
            &app,
            &course_id,
            json!({ "lesson_id": video, "time_spent_seconds": seconds }),
            &student,
        )
    };

    let (_, body) = beat(900).await;
    assert_eq!(
        body["time_spent_seconds"], 300,
        "one heartbeat credits at most 300 s"
    );
    let (_, body) = beat(250).await;
    let after_burst = body["time_spent_seconds"].as_i64().unwrap();
    assert!(
        after_burst <= 302,
        "an instant second heartbeat adds about nothing: {body}"
    );

    app.state.clock.advance(time::Duration::seconds(60));
    let (_, last_answer) = beat(250).await;
    let credited = last_answer["time_spent_seconds"].as_i64().unwrap() - after_burst;
    assert!(
        (60..=62).contains(&credited),
        "credited {credited} s for 60 s of wall time"
    );

    for bad in [-1, 86_401, i64::MAX] {
        let (status, body) = beat(bad).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "time_spent_seconds");
    }
    let (_, now) = app
        .get(
            &format!("/api/courses/{course_id}/progress"),
            Some(&student.token),
        )
        .await;
    assert_eq!(
        now["time_spent_seconds"],
        after_burst + credited,
        "refused heartbeats changed nothing"
    );
    assert_eq!(
        now, last_answer,
        "a heartbeat answers what a read then shows"
    );
}

#[tokio::test]
async fn a_dripping_lesson_says_when_it_opens() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    let mut later = spec("reading");
    later.days = 3;
    let lesson_id = lesson(&app, &course_id, later).await;
    let student = app.student().await;
    enroll(&app, &course_id, &student).await;

    let (status, locked) = app
        .get(
            &format!("/api/courses/{course_id}/lessons/{lesson_id}"),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &locked, StatusCode::FORBIDDEN);
    let opens = locked["available_at"]
        .as_str()
        .unwrap_or_else(|| panic!("{locked}"));
    let opens_at =
        time::OffsetDateTime::parse(opens, &time::format_description::well_known::Rfc3339).unwrap();
    let wait = opens_at - app.state.now();
    assert!(
        wait > time::Duration::days(3) - time::Duration::minutes(5)
            && wait <= time::Duration::days(3),
        "opens in {wait}"
    );

    let (status, progress) = app
        .post(
            &format!("/api/courses/{course_id}/progress"),
            json!({ "lesson_id": lesson_id, "completed": true }),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &progress, StatusCode::FORBIDDEN);
    assert_eq!(progress["available_at"], opens, "both endpoints agree");
}
