//! Drip, quiz attempt limits, assignment grading, revocation and time-spent caps.

use reqwest::StatusCode;
use schoolhouse::learning::model::EnrollmentSource;
use schoolhouse::learning::service;
use serde_json::{Value, json};

use super::{Spec, complete, course, enroll, instructor, lesson, question, spec};
use crate::support::{PASSWORD, TestApp, TestUser, assert_problem, spawn_app};

async fn progress(
    app: &TestApp,
    course_id: &str,
    body: Value,
    user: &TestUser,
) -> (StatusCode, Value) {
    app.post(
        &format!("/api/courses/{course_id}/progress"),
        body,
        Some(&user.token),
    )
    .await
}

#[tokio::test]
async fn a_dripped_lesson_is_locked_until_its_day_then_opens() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    let later = lesson(
        &app,
        &course_id,
        Spec {
            days: 3,
            ..spec("reading")
        },
    )
    .await;
    let quiz = lesson(
        &app,
        &course_id,
        Spec {
            days: 3,
            ..spec("quiz")
        },
    )
    .await;
    question(&app, &quiz, "true_false", Value::Null, json!(true)).await;
    let student = app.student().await;
    enroll(&app, &course_id, &student).await;

    let (status, body) = progress(
        &app,
        &course_id,
        json!({ "lesson_id": later, "completed": true }),
        &student,
    )
    .await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    let opens = body["available_at"]
        .as_str()
        .expect("the unlock date is given")
        .to_string();
    let (status, body) = app
        .get(&format!("/api/lessons/{quiz}/quiz"), Some(&student.token))
        .await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    assert_eq!(body["available_at"], opens.as_str());

    app.state.clock.advance(time::Duration::days(2));
    let student = app.login(&student.email, PASSWORD).await;
    let (status, _) = progress(
        &app,
        &course_id,
        json!({ "lesson_id": later, "completed": true }),
        &student,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "still locked on day 2");

    app.state
        .clock
        .advance(time::Duration::days(1) + time::Duration::seconds(1));
    let student = app.login(&student.email, PASSWORD).await;
    let (status, body) = progress(
        &app,
        &course_id,
        json!({ "lesson_id": later, "completed": true }),
        &student,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["percent"], 50);
    let (status, _) = app
        .get(&format!("/api/lessons/{quiz}/quiz"), Some(&student.token))
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn quiz_attempts_are_limited_and_a_passing_retake_completes_the_course() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    let quiz = lesson(
        &app,
        &course_id,
        Spec {
            pass_percent: Some(100),
            max_attempts: Some(2),
            ..spec("quiz")
        },
    )
    .await;
    let q = question(
        &app,
        &quiz,
        "multiple_choice",
        json!(["a", "b", "c"]),
        json!([0, 2]),
    )
    .await;
    let student = app.student().await;
    enroll(&app, &course_id, &student).await;
    let attempt = |answer: Value| {
        let body = json!({ "answers": [{ "question_id": q, "answer": answer }] });
        let (app, quiz, token) = (&app, &quiz, student.token.clone());
        async move {
            app.post(
                &format!("/api/lessons/{quiz}/quiz/attempts"),
                body,
                Some(&token),
            )
            .await
        }
    };

    let (status, first) = attempt(json!([0])).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(
        (first["passed"].clone(), first["attempts_left"].clone()),
        (json!(false), json!(1))
    );
    assert_eq!(first["question_results"][0]["correct"], false);
    assert_eq!(first["progress"]["percent"], 0);

    let (_, second) = attempt(json!([2, 0])).await;
    assert_eq!(second["passed"], true);
    assert_eq!(second["attempts_used"], 2);
    assert_eq!(second["attempts_left"], 0);
    assert_eq!(second["progress"]["percent"], 100);
    assert_eq!(second["progress"]["status"], "completed");

    let (status, body) = attempt(json!([0, 2])).await;
    assert_problem(status, &body, StatusCode::CONFLICT);

    let (_, students) = app
        .get(
            &format!("/api/courses/{course_id}/students"),
            Some(&teacher.token),
        )
        .await;
    let row = &students["items"][0];
    assert_eq!(row["status"], "completed");
    assert_eq!(row["quiz_scores"][0]["best_score_percent"], 100);
    assert_eq!(row["quiz_scores"][0]["attempts"], 2);
}

#[tokio::test]
async fn a_passing_assignment_grade_completes_the_course() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    let task = lesson(
        &app,
        &course_id,
        Spec {
            max_score: Some(10),
            pass_score: Some(6),
            ..spec("assignment")
        },
    )
    .await;
    let student = app.student().await;
    enroll(&app, &course_id, &student).await;
    let submit = |body: Value| {
        let (app, task, token) = (&app, &task, student.token.clone());
        async move {
            app.post(
                &format!("/api/lessons/{task}/submissions"),
                body,
                Some(&token),
            )
            .await
        }
    };

    let (status, body) = progress(
        &app,
        &course_id,
        json!({ "lesson_id": task, "completed": true }),
        &student,
    )
    .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = submit(json!({})).await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, first) = submit(json!({ "text": "my first loaf" })).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, replaced) = submit(json!({ "url": "https://example.com/loaf.jpg" })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(replaced["id"], first["id"]);
    assert_eq!(replaced["url"], "https://example.com/loaf.jpg");

    let (_, queue) = app
        .get(
            &format!("/api/courses/{course_id}/submissions?status=submitted"),
            Some(&teacher.token),
        )
        .await;
    assert_eq!(queue["total"], 1);
    let id = queue["items"][0]["id"].as_str().unwrap().to_string();
    let grade = |score: i64, token: String| {
        let (app, id) = (&app, &id);
        async move {
            app.put(
                &format!("/api/submissions/{id}/grade"),
                json!({ "score": score, "feedback": "Underproofed" }),
                Some(&token),
            )
            .await
        }
    };
    let (status, body) = grade(11, teacher.token.clone()).await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    let other = instructor(&app).await;
    let (status, body) = grade(9, other.token.clone()).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);

    let (status, graded) = grade(4, teacher.token.clone()).await;
    assert_eq!(status, StatusCode::OK, "{graded}");
    assert_eq!(graded["passed"], false);
    let (status, body) = grade(8, teacher.token.clone()).await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    let (_, mine) = app
        .get(
            &format!("/api/lessons/{task}/submissions/mine"),
            Some(&student.token),
        )
        .await;
    assert_eq!(mine["items"][0]["score"], 4);
    assert_eq!(mine["items"][0]["feedback"], "Underproofed");
    let (_, now) = app
        .get(
            &format!("/api/courses/{course_id}/progress"),
            Some(&student.token),
        )
        .await;
    assert_eq!(now["percent"], 0);

    let (status, second) = submit(json!({ "text": "second try" })).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = second["id"].as_str().unwrap().to_string();
    let (status, graded) = app
        .put(
            &format!("/api/submissions/{id}/grade"),
            json!({ "score": 8, "feedback": "Lovely crumb" }),
            Some(&teacher.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{graded}");
    assert_eq!(graded["passed"], true);
    let (_, now) = app
        .get(
            &format!("/api/courses/{course_id}/progress"),
            Some(&student.token),
        )
        .await;
    assert_eq!(
        (now["percent"].clone(), now["status"].clone()),
        (json!(100), json!("completed"))
    );

    let (status, body) = submit(json!({ "text": "one more" })).await;
    assert_problem(status, &body, StatusCode::CONFLICT);
}

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

    let now = app.state.now_text();
    let revoked = app
        .state
        .db
        .write(move |conn| service::revoke_enrollments_for_order(conn, "order-1", &now))
        .await
        .unwrap();
    assert_eq!(revoked, 1);

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
    let (_, body) = beat(250).await;
    let credited = body["time_spent_seconds"].as_i64().unwrap() - after_burst;
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
}
