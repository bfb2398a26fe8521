//! Review rules, the course rating aggregate, and whether the caller is enrolled and has
//! reviewed.

use reqwest::StatusCode;
use serde_json::json;

use super::{course, enroll, instructor, rating};
use crate::learning::{lesson, spec};
use crate::support::{assert_problem, spawn_app};

#[tokio::test]
async fn only_enrolled_learners_review_once_with_valid_ratings_and_hidden_reviews_leave_the_aggregate()
 {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    let path = format!("/api/courses/{course_id}/reviews");
    let ada = app.student().await;
    let bob = app.student().await;

    let (status, body) = app
        .post(
            &path,
            json!({ "rating": 4, "comment": "nice" }),
            Some(&ada.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    enroll(&app, &course_id, &ada).await;
    enroll(&app, &course_id, &bob).await;

    for bad in [
        json!({ "rating": 0 }),
        json!({ "rating": 6 }),
        json!({ "rating": 5, "comment": "x".repeat(2001) }),
    ] {
        let (status, body) = app.post(&path, bad, Some(&ada.token)).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(
        rating(&app, &course_id).await,
        (0, 0),
        "refused reviews changed nothing"
    );

    let (status, first) = app
        .post(
            &path,
            json!({ "rating": 2, "comment": "slow start" }),
            Some(&ada.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, body) = app
        .post(&path, json!({ "rating": 5 }), Some(&ada.token))
        .await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    let (status, body) = app
        .put(
            &format!("{path}/mine"),
            json!({ "rating": 4, "comment": "got better" }),
            Some(&ada.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(rating(&app, &course_id).await, (4, 1));
    let (status, body) = app
        .put(
            &format!("{path}/mine"),
            json!({ "rating": 3 }),
            Some(&bob.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);

    let (status, second) = app
        .post(
            &path,
            json!({ "rating": 5, "comment": "great" }),
            Some(&bob.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(rating(&app, &course_id).await, (9, 2));

    let (_, list) = app.get(&format!("{path}?per_page=1"), None).await;
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["id"], second["id"], "newest first");
    assert!(
        list["items"][0].get("user_id").is_none() && !list.to_string().contains("@example.com")
    );

    let hide = format!("/api/admin/reviews/{}/hide", second["id"].as_str().unwrap());
    let (status, body) = app.post(&hide, json!({}), Some(&teacher.token)).await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    let admin = app.admin().await;
    let (status, body) = app.post(&hide, json!({}), Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["hidden"], true);
    app.post(&hide, json!({}), Some(&admin.token)).await;
    assert_eq!(
        rating(&app, &course_id).await,
        (4, 1),
        "hiding twice counts once"
    );
    let (_, list) = app.get(&path, None).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], first["id"]);
}

#[tokio::test]
async fn a_course_page_learns_whether_the_caller_is_enrolled_and_has_reviewed_without_an_error() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    lesson(&app, &course_id, spec("reading")).await;
    let student = app.student().await;
    let mine = format!("/api/users/me/courses?course_id={course_id}");

    let (status, body) = app.get(&mine, Some(&student.token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["total"], 0);
    assert_eq!(body["items"], json!([]));

    enroll(&app, &course_id, &student).await;
    let (_, body) = app.get(&mine, Some(&student.token)).await;
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["course_id"], course_id.as_str());
    assert_eq!(body["items"][0]["reviewed"], false);

    let (status, _) = app
        .post(
            &format!("/api/courses/{course_id}/reviews"),
            json!({ "rating": 4, "comment": "Good." }),
            Some(&student.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, body) = app.get(&mine, Some(&student.token)).await;
    assert_eq!(body["items"][0]["reviewed"], true);
}
