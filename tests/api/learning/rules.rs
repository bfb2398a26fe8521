//! Drip, quiz attempt limits and assignment grading.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Spec, course, enroll, instructor, lesson, question, spec};
use crate::support::{PASSWORD, TestApp, TestUser, assert_problem, spawn_app};

pub async fn progress(
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
    // The grading queue says who handed it in and for which lesson.
    assert_eq!(queue["items"][0]["learner_email"], student.email.as_str());
    assert_eq!(queue["items"][0]["learner_name"], "Test student");
    assert_eq!(queue["items"][0]["lesson_title"], "A lesson");
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
