//! GDPR export and erasure.

use reqwest::StatusCode;
use schoolhouse::auth::service::{self, NewAccount, Origin};
use schoolhouse::users::Role;
use serde_json::{Value, json};

use crate::analytics::sql;
use crate::support::{PASSWORD, TestApp, TestUser, assert_problem, spawn_app};

/// An account with a name and email found nowhere else.
async fn person(app: &TestApp, email: &str, name: &str) -> TestUser {
    service::create_account(
        &app.state,
        NewAccount {
            email: email.into(),
            password: PASSWORD.into(),
            name: name.into(),
            role: Role::Student,
        },
        None,
        &Origin::default(),
    )
    .await
    .unwrap();
    app.login(email, PASSWORD).await
}

/// An order with a shipping address, an enrolment with a submission, and a review.
async fn give_history(app: &TestApp, user: &TestUser, tag: &str, name: &str) {
    let (u, ts) = (&user.id, "2026-01-05T10:00:00Z");
    sql(app, format!("
        INSERT OR IGNORE INTO courses (id, instructor_id, title, slug, price_cents, currency, status, rating_sum, rating_count, created_at, updated_at)
        SELECT 'C-{tag}', id, 'Course {tag}', 'course-{tag}', 1000, 'USD', 'published', 4, 1, '{ts}', '{ts}' FROM users WHERE role = 'admin' LIMIT 1;
        INSERT INTO sections (id, course_id, title, position, created_at, updated_at) VALUES ('S-{tag}', 'C-{tag}', 'One', 1, '{ts}', '{ts}');
        INSERT INTO lessons (id, course_id, section_id, title, content_type, position, created_at, updated_at)
        VALUES ('L-{tag}', 'C-{tag}', 'S-{tag}', 'Essay', 'assignment', 1, '{ts}', '{ts}');
        INSERT INTO orders (id, number, user_id, status, currency, subtotal_cents, discount_cents, tax_cents, shipping_cents, total_cents, prices_include_tax, shipping_address, billing_country, created_at, updated_at, paid_at)
        VALUES ('O-{tag}', 'SH-{tag}', '{u}', 'paid', 'USD', 1000, 0, 0, 500, 1500, 0,
            '{{\"name\":\"{name}\",\"line1\":\"1 Secret Lane\",\"line2\":null,\"city\":\"Hiddenville\",\"postal_code\":\"12345\",\"country\":\"DE\"}}',
            'DE', '{ts}', '{ts}', '{ts}');
        INSERT INTO order_items (id, order_id, item_type, item_kind, item_id, name, quantity, unit_price_cents, discount_cents, tax_cents, tax_rate_bps, total_cents, position)
        VALUES ('I-{tag}', 'O-{tag}', 'course', 'course', 'C-{tag}', 'Course {tag}', 1, 1000, 0, 0, 0, 1000, 1);
        INSERT INTO enrollments (id, user_id, course_id, status, source, order_id, enrolled_at, updated_at)
        VALUES ('E-{tag}', '{u}', 'C-{tag}', 'active', 'order', 'O-{tag}', '{ts}', '{ts}');
        INSERT INTO submissions (id, enrollment_id, lesson_id, course_id, user_id, text, created_at, updated_at)
        VALUES ('SUB-{tag}', 'E-{tag}', 'L-{tag}', 'C-{tag}', '{u}', 'My essay, by {name}', '{ts}', '{ts}');
        INSERT INTO reviews (id, course_id, user_id, rating, comment, created_at, updated_at)
        VALUES ('R-{tag}', 'C-{tag}', '{u}', 4, 'Loved it — {name}', '{ts}', '{ts}');
        INSERT INTO cart_items (id, user_id, item_type, item_id, quantity, price_seen_cents, created_at, updated_at)
        VALUES ('CART-{tag}', '{u}', 'course', 'C-{tag}', 1, 1000, '{ts}', '{ts}');
    ")).await;
}

#[tokio::test]
async fn the_export_holds_the_users_data_and_nobody_elses() {
    let app = spawn_app().await;
    let _admin = app.admin().await;
    let ada = person(&app, "ada.export@example.com", "Ada Exportova").await;
    let bob = person(&app, "bob.other@example.com", "Bob Otherman").await;
    give_history(&app, &ada, "ada", "Ada Exportova").await;
    give_history(&app, &bob, "bob", "Bob Otherman").await;

    let (headers, data, html) = app.data_export(&ada.token).await;
    assert_eq!(headers["content-type"], "application/zip");
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    assert_eq!(data["profile"]["email"], "ada.export@example.com");
    assert!(data["profile"].get("password_hash").is_none());
    assert_eq!(data["orders"][0]["number"], "SH-ada");
    assert_eq!(data["order_items"][0]["order_id"], "O-ada");
    assert_eq!(data["enrolments"][0]["course_title"], "Course ada");
    assert_eq!(data["submissions"][0]["text"], "My essay, by Ada Exportova");
    assert_eq!(data["reviews"][0]["rating"], 4);
    assert!(
        data["audit_entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "login.succeeded")
    );
    let text = data.to_string();
    for other in ["bob.other@example.com", "Bob Otherman", "SH-bob", "argon2"] {
        assert!(!text.contains(other), "the export contains {other}");
    }
    assert!(html.contains("ada.export@example.com") && html.contains("<h2>Orders</h2>"));
    assert!(!html.contains("Bob Otherman"));
}

#[tokio::test]
async fn an_export_names_other_people_only_by_their_role() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let ada = person(&app, "ada.roles@example.com", "Ada Roles").await;
    let (status, _) = app
        .put(
            &format!("/api/admin/users/{}/role", ada.id),
            json!({ "role": "instructor" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // A note by staff that names them in its detail, sent from the office's address.
    sql(
        &app,
        format!(
            "INSERT INTO audit_log (at, actor_id, action, target_type, target_id, ip, detail)
         VALUES ('2026-01-05T10:00:00Z', '{}', 'user.noted', 'user', '{}', '203.0.113.9',
             '{{\"by\":\"{}\"}}')",
            admin.id, ada.id, admin.email
        ),
    )
    .await;

    let (_, data, html) = app.data_export(&ada.token).await;
    let text = data.to_string();
    for other in [admin.id.as_str(), admin.email.as_str(), "203.0.113.9"] {
        assert!(
            !text.contains(other),
            "the learner's export contains {other}"
        );
        assert!(!html.contains(other), "the learner's page contains {other}");
    }
    let change = data["audit_entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "user.role_changed")
        .expect("the role change is in the export");
    assert_eq!(change["actor_id"], "an administrator");
    assert_eq!(change["target_id"], ada.id.as_str());
    assert!(change["ip"].is_null());
    let note = data["audit_entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "user.noted")
        .expect("the staff note is in the export");
    assert_eq!(note["detail"], r#"{"by":"an administrator"}"#);

    // The admin's own export names the learner by role, not by id.
    let (_, admin_data, _) = app.data_export(&admin.token).await;
    assert!(!admin_data.to_string().contains(&ada.id));
}

/// Every text value in every table containing `needle` (case-insensitive), as "table: value".
pub(crate) async fn find_anywhere(app: &TestApp, needle: &str) -> Vec<String> {
    let needle = needle.to_lowercase();
    app.state.db
        .read(move |conn| {
            let tables: Vec<String> = conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let mut found = Vec::new();
            for table in tables {
                let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\""))?;
                let columns = stmt.column_count();
                let mut rows = stmt.query([])?;
                while let Some(row) = rows.next()? {
                    for i in 0..columns {
                        if let rusqlite::types::ValueRef::Text(t) = row.get_ref(i)? {
                            let text = String::from_utf8_lossy(t).to_lowercase();
                            if text.contains(&needle) {
                                found.push(format!("{table}: {text}"));
                            }
                        }
                    }
                }
            }
            Ok(found)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn an_erased_user_cannot_log_in_and_their_personal_data_is_gone_but_the_accounts_stay() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (email, name) = ("zelda.quux@example.com", "Zelda Quuxington");
    let zelda = person(&app, email, name).await;
    give_history(&app, &zelda, "z", name).await;
    let (status, _) = app
        .post("/api/users/me/mfa/setup", json!({}), Some(&zelda.token))
        .await;
    assert_eq!(status, StatusCode::OK);
    let sales = "/api/admin/analytics/sales?from=2026-01-01&to=2026-01-31";
    let (_, before) = app.get(sales, Some(&admin.token)).await;
    assert!(!find_anywhere(&app, email).await.is_empty());

    let (status, body) = app
        .call(
            reqwest::Method::DELETE,
            "/api/users/me",
            Some(json!({"password": "not my password"})),
            Some(&zelda.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "password");
    let (status, body) = app
        .call(
            reqwest::Method::DELETE,
            "/api/users/me",
            Some(json!({"password": PASSWORD})),
            Some(&zelda.token),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    let (status, _) = app.get("/api/users/me", Some(&zelda.token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for needle in [email, name, "Secret Lane", "Hiddenville", "My essay"] {
        assert_eq!(
            find_anywhere(&app, needle).await,
            Vec::<String>::new(),
            "{needle} is still stored"
        );
    }
    // (A later attempt with the old address is logged like any unknown address.)
    let (status, _) = app
        .post(
            "/api/auth/login",
            json!({"email": email, "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Accounting rows stay, linked to the pseudonymised account, and totals are unchanged.
    let (_, after) = app.get(sales, Some(&admin.token)).await;
    assert_eq!(before["totals"], after["totals"]);
    let id = zelda.id.clone();
    let (owner, country, total, review, submissions, sessions, mfa): (String, String, i64, (i64, String), i64, i64, i64) = app.state.db
        .read(move |conn| {
            let one = |sql: &str| conn.query_row(sql, [&id], |r| r.get::<_, i64>(0));
            Ok((
                conn.query_row("SELECT email FROM users WHERE id = ?1", [&id], |r| r.get(0))?,
                conn.query_row("SELECT json_extract(shipping_address, '$.country') FROM orders WHERE user_id = ?1", [&id], |r| r.get(0))?,
                one("SELECT total_cents FROM orders WHERE user_id = ?1")?,
                conn.query_row("SELECT rating, comment FROM reviews WHERE user_id = ?1", [&id], |r| Ok((r.get(0)?, r.get(1)?)))?,
                one("SELECT COUNT(*) FROM submissions WHERE user_id = ?1")?,
                one("SELECT COUNT(*) FROM sessions WHERE user_id = ?1")?,
                one("SELECT COUNT(*) FROM user_mfa WHERE user_id = ?1")?,
            ))
        })
        .await
        .unwrap();
    assert!(
        owner.starts_with("erased-") && owner.ends_with("@erased.invalid"),
        "{owner}"
    );
    assert_eq!((country.as_str(), total), ("DE", 1500));
    assert_eq!(review, (4, String::new()));
    assert_eq!((submissions, sessions, mfa), (0, 0, 0));

    let (_, audit) = app
        .get(
            &format!("/api/admin/audit?action=user.erased&target={}", zelda.id),
            Some(&admin.token),
        )
        .await;
    assert_eq!(audit["total"], 1);
    assert_eq!(audit["items"][0]["detail"]["by"], "self");
    assert_eq!(audit["items"][0]["ip"], Value::Null);
}

#[tokio::test]
async fn an_admin_erases_an_instructor_and_inherits_the_courses() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let teacher = app
        .user(Role::Instructor, "teacher.erase@example.com")
        .await;
    sql(&app, format!("INSERT INTO courses (id, instructor_id, title, slug, price_cents, currency, created_at, updated_at)
        VALUES ('CT', '{}', 'Kept course', 'kept', 0, 'USD', 'x', 'x')", teacher.id)).await;
    let student = app.student().await;
    let (status, body) = app
        .delete(
            &format!("/api/admin/users/{}", teacher.id),
            Some(&student.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);

    let (status, body) = app
        .delete(
            &format!("/api/admin/users/{}", teacher.id),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let owner: String = app
        .state
        .db
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT instructor_id FROM courses WHERE id = 'CT'",
                [],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(owner, admin.id);
    let (status, body) = app
        .delete(
            &format!("/api/admin/users/{}", teacher.id),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    let (status, body) = app
        .delete("/api/admin/users/no-such-user", Some(&admin.token))
        .await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    // The only admin cannot erase themself.
    let (status, body) = app
        .call(
            reqwest::Method::DELETE,
            "/api/users/me",
            Some(json!({"password": PASSWORD})),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    let (status, _) = app.get("/api/users/me", Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK);
}
