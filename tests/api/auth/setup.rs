//! The first admin: the one-time setup link.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{PASSWORD, assert_problem, spawn_app};

#[tokio::test]
async fn setup_link_creates_exactly_one_admin() {
    let app = spawn_app().await;
    let token = schoolhouse::auth::service::issue_setup_token(&app.state)
        .await
        .unwrap()
        .expect("a token while no admin exists");
    let (status, body) = app
        .post(
            "/api/setup",
            json!({ "token": "forged", "email": "root@example.com", "password": PASSWORD }),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    let (status, body) = app
        .post(
            "/api/setup",
            json!({ "token": token, "email": "root@example.com", "password": PASSWORD }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["user"]["role"], "admin");
    let (status, body) = app
        .post(
            "/api/setup",
            json!({ "token": token, "email": "second@example.com", "password": PASSWORD }),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    let admins: i64 = app
        .state
        .db
        .read(|c| {
            Ok(
                c.query_row("SELECT COUNT(*) FROM users WHERE role = 'admin'", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .await
        .unwrap();
    assert_eq!(admins, 1);
    assert!(
        schoolhouse::auth::service::issue_setup_token(&app.state)
            .await
            .unwrap()
            .is_none(),
        "no new setup link once an admin exists"
    );
    app.login("root@example.com", PASSWORD).await;
}

#[tokio::test]
async fn expired_setup_link_is_gone() {
    let app = spawn_app().await;
    let token = schoolhouse::auth::service::issue_setup_token(&app.state)
        .await
        .unwrap()
        .unwrap();
    app.state.clock.advance(time::Duration::minutes(61));
    let (status, body) = app
        .post(
            "/api/setup",
            json!({ "token": token, "email": "root@example.com", "password": PASSWORD }),
            None,
        )
        .await;
    assert_problem(status, &body, StatusCode::GONE);
}
