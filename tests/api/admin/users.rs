//! Admin user management: disabling, role changes, search, and the admin-only guard.

use reqwest::StatusCode;
use schoolhouse::users::Role;
use serde_json::{Value, json};

use crate::auth::mfa::{audit_actions, enrol};
use crate::support::{PASSWORD, assert_problem, spawn_app};

#[tokio::test]
async fn a_disabled_user_cannot_log_in_and_their_token_dies_at_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let student = app.student().await;
    let (status, body) = app
        .post(
            &format!("/api/admin/users/{}/disable", student.id),
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["disabled"], true);
    let (status, _) = app.get("/api/users/me", Some(&student.token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .post(
            "/api/auth/refresh",
            json!({ "refresh_token": student.refresh_token }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, problem) = app
        .post(
            "/api/auth/login",
            json!({ "email": student.email, "password": PASSWORD }),
            None,
        )
        .await;
    assert_problem(status, &problem, StatusCode::FORBIDDEN);

    let (status, body) = app
        .post(
            &format!("/api/admin/users/{}/enable", student.id),
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_eq!((status, &body["disabled"]), (StatusCode::OK, &json!(false)));
    app.login(&student.email, PASSWORD).await;
    let actions = audit_actions(&app, &student.id).await;
    assert!(actions.contains(&"user.disabled".into()) && actions.contains(&"user.enabled".into()));

    // An admin cannot lock themselves out; unknown ids are 404.
    let (status, problem) = app
        .post(
            &format!("/api/admin/users/{}/disable", admin.id),
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    assert!(problem["detail"].as_str().unwrap().contains("your own"));
    let (status, problem) = app
        .post(
            "/api/admin/users/nope/disable",
            json!({}),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_role_change_applies_on_the_next_request() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let student = app.student().await;
    assert_eq!(
        app.get("/api/admin/users", Some(&student.token)).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, body) = app
        .put(
            &format!("/api/admin/users/{}/role", student.id),
            json!({ "role": "admin" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["role"], "admin");
    // Same access token, new role.
    assert_eq!(
        app.get("/api/admin/users", Some(&student.token)).await.0,
        StatusCode::OK
    );
    assert!(
        audit_actions(&app, &student.id)
            .await
            .contains(&"user.role_changed".into())
    );

    let (status, problem) = app
        .put(
            &format!("/api/admin/users/{}/role", admin.id),
            json!({ "role": "student" }),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    let (status, problem) = app
        .put(
            &format!("/api/admin/users/{}/role", student.id),
            json!({ "role": "root" }),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .put(
            "/api/admin/users/nope/role",
            json!({ "role": "student" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn admins_search_users_by_text_and_role() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.user(Role::Instructor, "grace.hopper@example.com").await;
    let ada = app.user(Role::Student, "ada@example.com").await;
    enrol(&app, &ada).await;
    let (status, list) = app
        .get("/api/admin/users?q=HOPPER&per_page=5", Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1);
    assert_eq!(list["per_page"], 5);
    assert_eq!(list["items"][0]["email"], "grace.hopper@example.com");
    let (_, list) = app
        .get("/api/admin/users?role=student", Some(&admin.token))
        .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["mfa_enabled"], true);
    let (_, list) = app.get("/api/admin/users?q=%25", Some(&admin.token)).await;
    assert_eq!(list["total"], 0, "a % is matched literally");
    let (status, problem) = app
        .get("/api/admin/users?role=wizard", Some(&admin.token))
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "role");
    let (status, _) = app
        .get("/api/admin/users?per_page=101", Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn only_admins_reach_the_admin_user_routes() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let target = app.student().await;
    let callers = [
        ("anonymous", None, StatusCode::UNAUTHORIZED),
        ("student", Some(Role::Student), StatusCode::FORBIDDEN),
        ("instructor", Some(Role::Instructor), StatusCode::FORBIDDEN),
        ("vendor", Some(Role::Vendor), StatusCode::FORBIDDEN),
        ("admin", Some(Role::Admin), StatusCode::OK),
    ];
    let routes: [(reqwest::Method, String, Option<Value>); 4] = [
        (reqwest::Method::GET, "/api/admin/users".into(), None),
        (
            reqwest::Method::PUT,
            format!("/api/admin/users/{}/role", target.id),
            Some(json!({ "role": "student" })),
        ),
        (
            reqwest::Method::POST,
            format!("/api/admin/users/{}/disable", target.id),
            Some(json!({})),
        ),
        (
            reqwest::Method::POST,
            format!("/api/admin/users/{}/enable", target.id),
            Some(json!({})),
        ),
    ];
    for (who, role, expected) in callers {
        let token = match role {
            None => None,
            Some(Role::Admin) => Some(admin.token.clone()),
            Some(role) => Some(
                app.user(role, &format!("{who}-guard@example.com"))
                    .await
                    .token,
            ),
        };
        for (method, path, body) in &routes {
            let (status, response) = app
                .call(method.clone(), path, body.clone(), token.as_deref())
                .await;
            assert_eq!(status, expected, "{who} {method} {path}: {response}");
        }
    }
}
