//! Scenario C end to end, and the enrolment rules around it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{complete, course, enroll, instructor, lesson, question, rating, spec};
use crate::support::{TestApp, assert_problem, spawn_app};

async fn certificate_pdf(
    app: &TestApp,
    course_id: &str,
    token: &str,
) -> (StatusCode, String, Vec<u8>) {
    let response = app
        .client
        .get(app.url(&format!("/api/courses/{course_id}/certificate")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, response.bytes().await.unwrap().to_vec())
}

fn pdf_title(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("the certificate is a valid PDF");
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|o| o.as_reference())
        .and_then(|r| doc.get_dictionary(r))
        .expect("document info");
    let title = info.get(b"Title").and_then(|o| o.as_str()).expect("title");
    lopdf::decode_text_string(&lopdf::Object::String(
        title.to_vec(),
        lopdf::StringFormat::Literal,
    ))
    .expect("title text")
}

#[tokio::test]
async fn scenario_c_a_learner_completes_a_free_course_gets_a_certificate_and_reviews_it() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    let reading = lesson(&app, &course_id, spec("reading")).await;
    let video = lesson(&app, &course_id, spec("video")).await;
    let quiz = lesson(
        &app,
        &course_id,
        super::Spec {
            pass_percent: Some(50),
            ..spec("quiz")
        },
    )
    .await;
    let q1 = question(
        &app,
        &quiz,
        "single_choice",
        json!(["rye", "wheat", "spelt"]),
        json!(1),
    )
    .await;
    let q2 = question(&app, &quiz, "short_text", Value::Null, json!(["levain"])).await;
    let student = app.student().await;

    let enrolment = enroll(&app, &course_id, &student).await;
    assert_eq!(enrolment["status"], "active");
    let (status, again) = app
        .post(
            &format!("/api/courses/{course_id}/enroll"),
            json!({}),
            Some(&student.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["id"], enrolment["id"]);

    assert_eq!(
        complete(&app, &course_id, &reading, &student).await["percent"],
        33
    );
    let progress = complete(&app, &course_id, &video, &student).await;
    assert_eq!(progress["percent"], 66);
    assert_eq!(progress["last_lesson_id"], video.as_str());

    let (status, quiz_view) = app
        .get(&format!("/api/lessons/{quiz}/quiz"), Some(&student.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{quiz_view}");
    assert_eq!(quiz_view["questions"].as_array().unwrap().len(), 2);
    assert!(
        !quiz_view.to_string().contains("answer"),
        "answers leaked: {quiz_view}"
    );

    let (status, attempt) = app
        .post(
            &format!("/api/lessons/{quiz}/quiz/attempts"),
            json!({ "answers": [
                { "question_id": q1, "answer": 1 },
                { "question_id": q2, "answer": " Levain " },
            ]}),
            Some(&student.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{attempt}");
    assert_eq!(attempt["score_percent"], 100);
    assert_eq!(attempt["passed"], true);
    assert_eq!(attempt["correct_count"], 2);
    assert_eq!(attempt["attempts_left"], Value::Null);

    let (_, progress) = app
        .get(
            &format!("/api/courses/{course_id}/progress"),
            Some(&student.token),
        )
        .await;
    assert_eq!(progress["percent"], 100);
    assert_eq!(progress["status"], "completed");
    assert!(progress["completed_at"].is_string());
    assert_eq!(
        progress["completed_lesson_ids"],
        json!([reading, video, quiz])
    );

    let (_, mine) = app.get("/api/users/me/courses", Some(&student.token)).await;
    let entry = &mine["items"][0];
    assert_eq!(entry["status"], "completed");
    assert_eq!(entry["percent"], 100);
    assert_eq!(
        entry["certificate_url"],
        format!("/api/courses/{course_id}/certificate")
    );
    let serial = entry["certificate_serial"].as_str().unwrap().to_string();
    assert!(
        serial.starts_with("SH-CERT-") && serial.len() == 17,
        "{serial}"
    );

    let (status, kind, pdf) = certificate_pdf(&app, &course_id, &student.token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/pdf");
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(pdf_title(&pdf), format!("Certificate {serial}"));

    let (status, check) = app.get(&format!("/api/certificates/{serial}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(check["valid"], true);
    assert_eq!(check["learner_name"], "Test student");
    assert_eq!(check["course_title"], "Sourdough Basics");
    assert_eq!(check["revoked_at"], Value::Null);
    assert!(check.get("email").is_none() && check.get("user_id").is_none());

    let (status, review) = app
        .post(
            &format!("/api/courses/{course_id}/reviews"),
            json!({ "rating": 5, "comment": "Loved it" }),
            Some(&student.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{review}");
    let (_, reviews) = app
        .get(&format!("/api/courses/{course_id}/reviews"), None)
        .await;
    assert_eq!(reviews["total"], 1);
    assert_eq!(reviews["items"][0]["comment"], "Loved it");
    assert_eq!(reviews["items"][0]["reviewer_name"], "Test student");
    assert_eq!(rating(&app, &course_id).await, (5, 1));
}

#[tokio::test]
async fn paid_unpublished_and_unknown_courses_cannot_be_self_enrolled() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let paid = course(&app, &teacher.id, 4900, "published").await;
    let draft = course(&app, &teacher.id, 0, "draft").await;
    let student = app.student().await;

    let (status, body) = app
        .post(
            &format!("/api/courses/{paid}/enroll"),
            json!({}),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(body["price_cents"], 4900);
    assert_eq!(body["currency"], "USD");
    assert!(body["detail"].as_str().unwrap().contains("buy"));

    for id in [draft.as_str(), "no-such-course"] {
        let (status, body) = app
            .post(
                &format!("/api/courses/{id}/enroll"),
                json!({}),
                Some(&student.token),
            )
            .await;
        assert_problem(status, &body, StatusCode::NOT_FOUND);
    }
    let (_, mine) = app.get("/api/users/me/courses", Some(&student.token)).await;
    assert_eq!(mine["total"], 0);
}

#[tokio::test]
async fn the_instructor_enrols_and_revokes_by_hand_but_nobody_else_can() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let other = instructor(&app).await;
    let paid = course(&app, &teacher.id, 4900, "published").await;
    let student = app.student().await;
    let path = format!("/api/courses/{paid}/enrollments");

    for intruder in [&other, &student] {
        let (status, body) = app
            .post(
                &path,
                json!({ "user_id": student.id }),
                Some(&intruder.token),
            )
            .await;
        assert_problem(status, &body, StatusCode::NOT_FOUND);
    }
    let (status, body) = app
        .post(&path, json!({ "user_id": "nobody" }), Some(&teacher.token))
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, body) = app
        .post(
            &path,
            json!({ "user_id": student.id }),
            Some(&teacher.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["source"], "manual");
    let (status, _) = app
        .post(
            &format!("/api/courses/{paid}/enroll"),
            json!({}),
            Some(&student.token),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a hand-enrolled student is already in"
    );

    let (status, body) = app
        .delete(&format!("{path}/{}", student.id), Some(&other.token))
        .await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let admin = app.admin().await;
    let (status, body) = app
        .delete(&format!("{path}/{}", student.id), Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "revoked");
    let (status, body) = app
        .delete(&format!("{path}/{}", student.id), Some(&teacher.token))
        .await;
    assert_problem(status, &body, StatusCode::CONFLICT);

    let (_, mine) = app.get("/api/users/me/courses", Some(&student.token)).await;
    assert_eq!(mine["items"][0]["status"], "revoked");
}
