//! The audit log API, its append-only guarantee, and the error log of 5xx responses and
//! failed jobs.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, assert_problem, spawn_app, spawn_app_with};

/// Polls the admin error log until an entry matching `pick` shows up (the write runs on
/// its own task after the response).
async fn wait_for_error(
    app: &TestApp,
    token: &str,
    query: &str,
    pick: impl Fn(&Value) -> bool,
) -> Value {
    for _ in 0..200 {
        let (status, body) = app
            .get(&format!("/api/admin/errors?{query}"), Some(token))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if let Some(found) = body["items"].as_array().unwrap().iter().find(|e| pick(e)) {
            return found.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no matching entry in the error log");
}

#[tokio::test]
async fn logins_and_role_changes_are_listed_and_filterable() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let student = app.student().await;
    let (status, _) = app
        .post(
            "/api/auth/login",
            json!({"email": student.email, "password": "wrong password!!"}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = app
        .put(
            &format!("/api/admin/users/{}/role", student.id),
            json!({"role": "instructor"}),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, body) = app
        .get(
            &format!("/api/admin/audit?actor={}&action=login.*", student.id),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let actions: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["login.failed", "login.succeeded"]); // newest first
    assert_eq!(body["items"][0]["actor_email"], student.email.as_str());

    let (_, body) = app
        .get(
            &format!(
                "/api/admin/audit?target={}&action=user.role_changed",
                student.id
            ),
            Some(&admin.token),
        )
        .await;
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["actor_id"], admin.id.as_str());

    let (_, body) = app
        .get(
            "/api/admin/audit?from=2000-01-01&to=2000-01-02",
            Some(&admin.token),
        )
        .await;
    assert_eq!(body["total"], 0);
    let (status, body) = app
        .get("/api/admin/audit?from=someday", Some(&admin.token))
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app.get("/api/admin/audit", Some(&student.token)).await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn audit_rows_cannot_be_changed_or_deleted_even_with_sql() {
    let app = spawn_app().await;
    let _admin = app.admin().await;
    let attempts = [
        "UPDATE audit_log SET action = 'nothing.happened'",
        "UPDATE audit_log SET detail = '{}'",
        "UPDATE audit_log SET actor_id = NULL",
        "DELETE FROM audit_log",
    ];
    for statement in attempts {
        let result = app
            .state
            .db
            .write(move |conn| Ok(conn.execute(statement, [])?))
            .await;
        assert!(result.is_err(), "{statement} was allowed");
    }
    let count = app
        .state
        .db
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'nothing.happened'",
                [],
                |r| r.get::<_, i64>(0),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_server_error_is_recorded_with_its_request_id() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let student = app.student().await;
    // Break the database under the cart, as a failed disk or a bad migration would.
    app.state
        .db
        .write(|conn| Ok(conn.execute_batch("DROP TABLE cart_items")?))
        .await
        .unwrap();
    let response = app
        .client
        .get(app.url("/api/cart"))
        .bearer_auth(&student.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let body: Value = response.json().await.unwrap();
    assert!(
        !body["detail"].as_str().unwrap().contains("cart_items"),
        "internals leaked: {body}"
    );

    let entry = wait_for_error(&app, &admin.token, "kind=request", |e| {
        e["request_id"] == request_id.as_str()
    })
    .await;
    assert_eq!(entry["method"], "GET");
    assert_eq!(entry["path"], "/api/cart");
    assert_eq!(entry["status"], 500);
    assert!(
        entry["message"].as_str().unwrap().contains("cart_items"),
        "{entry}"
    );
}

#[tokio::test]
async fn failed_background_jobs_are_recorded_and_the_log_stays_bounded() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    schoolhouse::audit::errors::record_job_failure(
        &app.state,
        "mail",
        "smtp.example: connection refused",
    );
    let entry = wait_for_error(&app, &admin.token, "kind=job", |e| e["job"] == "mail").await;
    assert_eq!(entry["message"], "smtp.example: connection refused");
    assert_eq!(entry["kind"], "job");

    app.state
        .db
        .write(|conn| {
            for i in 0..10_100 {
                let record = schoolhouse::audit::store::ErrorRecord {
                    kind: "job",
                    job: Some("flood".into()),
                    message: format!("#{i}"),
                    ..Default::default()
                };
                schoolhouse::audit::store::record_error(conn, "2026-01-01T00:00:00Z", &record)?;
            }
            Ok(())
        })
        .await
        .unwrap();
    let (_, body) = app
        .get("/api/admin/errors?per_page=1", Some(&admin.token))
        .await;
    let keep = schoolhouse::audit::store::ERROR_LOG_KEEP;
    let total = body["total"].as_i64().unwrap();
    assert!((keep..keep + 100).contains(&total), "{total} rows kept");
    let (_, oldest) = app
        .get(
            &format!("/api/admin/errors?per_page=100&page={}", (total + 99) / 100),
            Some(&admin.token),
        )
        .await;
    assert!(
        oldest["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["job"] == "flood"),
        "the oldest rows were not trimmed"
    );
    assert_eq!(body["items"][0]["message"], "#10099");
    let (status, body) = app
        .get("/api/admin/errors?kind=other", Some(&admin.token))
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_failed_scheduled_backup_is_in_the_error_log() {
    // The off-site folder is a plain file, so copying the archive there fails.
    let blocker = tempfile::NamedTempFile::new().unwrap();
    let copy_to = blocker.path().to_path_buf();
    let app = spawn_app_with(move |config| config.backups.copy_to = Some(copy_to)).await;
    let admin = app.admin().await;

    let outcome = schoolhouse::ops::schedule::scheduled_run(&app.state).await;

    assert!(outcome.is_err());
    let entry = wait_for_error(&app, &admin.token, "kind=job", |e| e["job"] == "backup").await;
    assert!(
        entry["message"].as_str().unwrap().contains("copy to"),
        "{entry}"
    );
}

#[tokio::test]
async fn a_payment_that_cannot_be_reconciled_is_in_the_error_log() {
    let app = spawn_app_with(|config| {
        crate::payments::with_stripe(config);
        // Nothing listens here: Stripe cannot be asked about the payment.
        config.payments.stripe.api_base = "http://127.0.0.1:9".into();
    })
    .await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let course = crate::payments::course(&app, &admin, 1500).await;
    let order = crate::payments::order_for(&app, &buyer, &course).await;
    let payment = crate::payments::stripe_payment(&app, &order, "pi_unreachable").await;
    app.state.clock.advance(time::Duration::minutes(11));

    let changed = schoolhouse::payments::service::reconcile(&app.state, app.state.now())
        .await
        .unwrap();

    assert_eq!(changed, 0);
    let entry = wait_for_error(&app, &admin.token, "kind=job", |e| {
        e["job"] == "reconciliation"
    })
    .await;
    assert!(
        entry["message"].as_str().unwrap().contains(&payment),
        "{entry}"
    );
}
