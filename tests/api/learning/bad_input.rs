//! Bad input and other people's ids: clear problems, nothing changed.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{course, enroll, instructor, lesson, question, spec};
use crate::support::{assert_problem, spawn_app};

#[tokio::test]
async fn progress_for_the_wrong_lesson_course_or_learner_is_refused() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    let other_course = course(&app, &teacher.id, 0, "published").await;
    let reading = lesson(&app, &course_id, spec("reading")).await;
    let foreign = lesson(&app, &other_course, spec("reading")).await;
    let quiz = lesson(&app, &course_id, spec("quiz")).await;
    let student = app.student().await;
    let path = format!("/api/courses/{course_id}/progress");

    let (status, body) = app
        .post(
            &path,
            json!({ "lesson_id": reading, "completed": true }),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    let (status, body) = app.get(&path, Some(&student.token)).await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);

    enroll(&app, &course_id, &student).await;
    for lesson_id in [foreign.as_str(), "no-such-lesson"] {
        let (status, body) = app
            .post(
                &path,
                json!({ "lesson_id": lesson_id, "completed": true }),
                Some(&student.token),
            )
            .await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "lesson_id");
    }
    let (status, body) = app
        .post(
            &path,
            json!({ "lesson_id": quiz, "completed": true }),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app
        .post(&path, json!({ "lesson_id": 7 }), Some(&student.token))
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app
        .post(
            "/api/courses/no-such-course/progress",
            json!({ "lesson_id": reading }),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);

    let (_, now) = app.get(&path, Some(&student.token)).await;
    assert_eq!(now["percent"], 0);
    assert_eq!(now["completed_lesson_ids"], json!([]));
}

#[tokio::test]
async fn answers_to_unknown_questions_are_refused_without_using_an_attempt() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    let quiz = lesson(
        &app,
        &course_id,
        super::Spec {
            max_attempts: Some(1),
            ..spec("quiz")
        },
    )
    .await;
    let q = question(&app, &quiz, "true_false", Value::Null, json!(true)).await;
    let student = app.student().await;
    enroll(&app, &course_id, &student).await;
    let path = format!("/api/lessons/{quiz}/quiz/attempts");

    let (status, body) = app
        .post(
            &path,
            json!({ "answers": [{ "question_id": "made-up", "answer": true }] }),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "answers[0].question_id");
    let (status, body) = app
        .post(
            &path,
            json!({ "answers": [{ "question_id": q, "answer": "yes" }] }),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);

    let (_, view) = app
        .get(&format!("/api/lessons/{quiz}/quiz"), Some(&student.token))
        .await;
    assert_eq!(view["attempts_used"], 0);
    let (status, body) = app
        .post(
            &path,
            json!({ "answers": [{ "question_id": q, "answer": true }] }),
            Some(&student.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn other_peoples_courses_and_submissions_are_not_found() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let stranger = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    let task = lesson(&app, &course_id, spec("assignment")).await;
    let student = app.student().await;
    enroll(&app, &course_id, &student).await;
    let (_, submission) = app
        .post(
            &format!("/api/lessons/{task}/submissions"),
            json!({ "text": "done" }),
            Some(&student.token),
        )
        .await;
    let id = submission["id"].as_str().unwrap();

    for token in [&stranger.token, &student.token] {
        for path in [
            format!("/api/courses/{course_id}/students"),
            format!("/api/courses/{course_id}/submissions"),
        ] {
            let (status, body) = app.get(&path, Some(token)).await;
            assert_problem(status, &body, StatusCode::NOT_FOUND);
        }
        let (status, body) = app
            .put(
                &format!("/api/submissions/{id}/grade"),
                json!({ "score": 100 }),
                Some(token),
            )
            .await;
        assert_problem(status, &body, StatusCode::NOT_FOUND);
    }
    let (status, body) = app
        .get(
            &format!("/api/courses/{course_id}/submissions?status=lost"),
            Some(&teacher.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::BAD_REQUEST);
    let (status, body) = app
        .get(
            &format!("/api/courses/{course_id}/certificate"),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let (status, body) = app.get("/api/certificates/SH-CERT-AAAA-BBBB", None).await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let (status, body) = app
        .get(
            &format!("/api/lessons/{task}/submissions/mine"),
            Some(&stranger.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
}
