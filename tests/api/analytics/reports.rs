//! Analytics against a hand-seeded school: sales that reconcile with the orders (and
//! refunds, once the payments tables exist), top lists, funnels, users, CSV, scoping.

use reqwest::StatusCode;
use schoolhouse::users::Role;
use serde_json::Value;

use crate::support::{TestApp, TestUser, assert_problem, spawn_app};

/// Runs SQL against the app's database in one write transaction.
pub async fn sql(app: &TestApp, batch: String) {
    app.state
        .db
        .write(move |conn| Ok(conn.execute_batch(&batch)?))
        .await
        .unwrap();
}

pub async fn has_table(app: &TestApp, name: &'static str) -> bool {
    app.state
        .db
        .read(move |conn| Ok(schoolhouse::analytics::store::table_exists(conn, name)?))
        .await
        .unwrap()
}

struct School {
    admin: TestUser,
    teacher: TestUser,
    other_teacher: TestUser,
    vendor: TestUser,
    refunds: bool,
}

/// Two courses (C1 by `teacher`, C2 by `other_teacher`), one product (P1 by `vendor`),
/// orders in January 2026 and one outside, enrolments with progress and quiz attempts.
async fn seed(app: &TestApp) -> School {
    let admin = app.admin().await;
    let teacher = app.user(Role::Instructor, "teacher@example.com").await;
    let other_teacher = app
        .user(Role::Instructor, "other-teacher@example.com")
        .await;
    let vendor = app.user(Role::Vendor, "vendor@example.com").await;
    let s1 = app.user(Role::Student, "s1@example.com").await;
    let s2 = app.user(Role::Student, "s2@example.com").await;
    let (t, t2, v, s1, s2) = (&teacher.id, &other_teacher.id, &vendor.id, &s1.id, &s2.id);
    let ts = "2026-01-01T00:00:00Z";
    sql(app, format!("
        INSERT INTO courses (id, instructor_id, title, slug, price_cents, currency, status, rating_sum, rating_count, created_at, updated_at)
        VALUES ('C1', '{t}', 'Rust, \"the\" basics', 'c1', 5000, 'USD', 'published', 9, 2, '{ts}', '{ts}'),
               ('C2', '{t2}', 'Gardening', 'c2', 3000, 'USD', 'published', 0, 0, '{ts}', '{ts}');
        INSERT INTO products (id, vendor_id, name, slug, kind, price_cents, currency, status, created_at, updated_at)
        VALUES ('P1', '{v}', 'Sticker pack', 'p1', 'digital', 1000, 'USD', 'published', '{ts}', '{ts}');
        INSERT INTO sections (id, course_id, title, position, created_at, updated_at)
        VALUES ('SEC1', 'C1', 'One', 1, '{ts}', '{ts}'), ('SEC2', 'C2', 'One', 1, '{ts}', '{ts}');
        INSERT INTO lessons (id, course_id, section_id, title, content_type, position, required, pass_percent, created_at, updated_at)
        VALUES ('L1', 'C1', 'SEC1', 'Read me', 'reading', 1, 1, NULL, '{ts}', '{ts}'),
               ('L2', 'C1', 'SEC1', 'Quiz', 'quiz', 2, 1, 50, '{ts}', '{ts}'),
               ('L3', 'C2', 'SEC2', 'Dig', 'reading', 1, 1, NULL, '{ts}', '{ts}');
        INSERT INTO orders (id, number, user_id, status, currency, subtotal_cents, discount_cents, tax_cents, shipping_cents, total_cents, prices_include_tax, created_at, updated_at, paid_at)
        VALUES ('O1', 'SH-1', '{s1}', 'paid', 'USD', 5000, 0, 0, 0, 5000, 0, '2026-01-05T09:00:00Z', '{ts}', '2026-01-05T10:00:00Z'),
               ('O2', 'SH-2', '{s2}', 'fulfilled', 'USD', 4000, 0, 0, 0, 4000, 0, '2026-01-06T11:00:00Z', '{ts}', '2026-01-06T12:00:00Z'),
               ('O3', 'SH-3', '{s1}', 'refunded', 'USD', 2000, 0, 0, 0, 2000, 0, '2026-01-13T08:00:00Z', '{ts}', '2026-01-13T09:00:00Z'),
               ('O4', 'SH-4', '{s2}', 'pending', 'USD', 9999, 0, 0, 0, 9999, 0, '2026-01-07T08:00:00Z', '{ts}', NULL),
               ('O6', 'SH-6', '{s2}', 'paid', 'USD', 7000, 0, 0, 0, 7000, 0, '2026-02-01T08:00:00Z', '{ts}', '2026-02-01T09:00:00Z');
        INSERT INTO order_items (id, order_id, item_type, item_kind, item_id, name, quantity, unit_price_cents, discount_cents, tax_cents, tax_rate_bps, total_cents, vendor_id, position)
        VALUES ('I1', 'O1', 'course', 'course', 'C1', 'Rust', 1, 5000, 0, 0, 0, 5000, '{t}', 1),
               ('I2', 'O2', 'course', 'course', 'C2', 'Gardening', 1, 3000, 0, 0, 0, 3000, '{t2}', 1),
               ('I3', 'O2', 'product', 'digital_product', 'P1', 'Sticker pack', 1, 1000, 0, 0, 0, 1000, '{v}', 2),
               ('I4', 'O3', 'product', 'digital_product', 'P1', 'Sticker pack', 2, 1000, 0, 0, 0, 2000, '{v}', 1),
               ('I5', 'O4', 'course', 'course', 'C1', 'Rust', 1, 9999, 0, 0, 0, 9999, '{t}', 1),
               ('I6', 'O6', 'course', 'course', 'C1', 'Rust', 1, 7000, 0, 0, 0, 7000, '{t}', 1);
        INSERT INTO enrollments (id, user_id, course_id, status, source, enrolled_at, completed_at, updated_at, time_spent_seconds)
        VALUES ('E1', '{s1}', 'C1', 'completed', 'order', '2026-01-05T10:00:00Z', '2026-01-09T10:00:00Z', '{ts}', 600),
               ('E2', '{s2}', 'C1', 'active', 'manual', '2026-01-06T10:00:00Z', NULL, '{ts}', 300),
               ('E3', '{s2}', 'C2', 'active', 'order', '2026-01-06T12:00:00Z', NULL, '{ts}', 0);
        INSERT INTO lesson_progress (enrollment_id, lesson_id, completed_at, time_spent_seconds, updated_at)
        VALUES ('E1', 'L1', '2026-01-06T10:00:00Z', 300, '2026-01-06T10:00:00Z'),
               ('E1', 'L2', '2026-01-09T10:00:00Z', 300, '2026-01-09T10:00:00Z'),
               ('E2', 'L1', '2026-01-07T10:00:00Z', 300, '2026-01-07T10:00:00Z');
        INSERT INTO quiz_attempts (id, enrollment_id, lesson_id, score_percent, passed, correct_count, answers, created_at)
        VALUES ('Q1', 'E1', 'L2', 20, 0, 1, '[]', '2026-01-08T10:00:00Z'),
               ('Q2', 'E1', 'L2', 90, 1, 4, '[]', '2026-01-09T10:00:00Z'),
               ('Q3', 'E2', 'L2', 10, 0, 0, '[]', '2026-01-08T11:00:00Z');
        INSERT INTO user_activity (user_id, day)
        VALUES ('{s1}', '2026-01-05'), ('{s1}', '2026-01-06'), ('{s2}', '2026-01-06'), ('{s2}', '2025-12-20');
    ")).await;
    let refunds = has_table(app, "refunds").await;
    if refunds {
        // A processed refund of O3 (P1 x2) on Jan 14, and a still-requested one of O2.
        sql(app, format!("
            INSERT INTO payments (id, order_id, user_id, gateway, status, amount_cents, currency, created_at, updated_at)
            VALUES ('PAY3', 'O3', '{s1}', 'manual', 'refunded', 2000, 'USD', '{ts}', '{ts}'),
                   ('PAY2', 'O2', '{s2}', 'manual', 'completed', 4000, 'USD', '{ts}', '{ts}');
            INSERT INTO refunds (id, order_id, payment_id, user_id, status, amount_cents, reason, eligibility, created_at, updated_at, processed_at)
            VALUES ('R1', 'O3', 'PAY3', '{s1}', 'processed', 2000, 'broken', '{{}}', '{ts}', '2026-01-14T10:00:00Z', '2026-01-14T10:00:00Z'),
                   ('R2', 'O2', 'PAY2', '{s2}', 'requested', 1000, 'meh', '{{}}', '{ts}', '{ts}', NULL);
            INSERT INTO refund_items (refund_id, order_item_id) VALUES ('R1', 'I4');
        ")).await;
    }
    School {
        admin,
        teacher,
        other_teacher,
        vendor,
        refunds,
    }
}

const JANUARY: &str = "from=2026-01-01&to=2026-01-31";

#[tokio::test]
async fn sales_reconcile_with_the_orders_and_refunds_by_week() {
    let app = spawn_app().await;
    let school = seed(&app).await;
    let (status, body) = app
        .get(
            &format!("/api/admin/analytics/sales?{JANUARY}&interval=week"),
            Some(&school.admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let refunds = if school.refunds { 2000 } else { 0 };
    let totals = &body["totals"];
    // O1 5000 + O2 4000 + O3 2000; the pending O4 and February's O6 do not count.
    assert_eq!(totals["gross_cents"], 11000);
    assert_eq!(totals["orders"], 3);
    assert_eq!(totals["average_order_cents"], 3666);
    assert_eq!(totals["refunds_cents"], refunds);
    assert_eq!(totals["net_cents"], 11000 - refunds);
    let periods = body["periods"].as_array().unwrap();
    // Weeks starting Monday: Dec 29, Jan 5, 12, 19, 26.
    assert_eq!(periods.len(), 5);
    assert_eq!(periods[1]["period"], "2026-01-05");
    assert_eq!(
        (
            periods[1]["gross_cents"].as_i64(),
            periods[1]["orders"].as_i64()
        ),
        (Some(9000), Some(2))
    );
    assert_eq!(periods[2]["gross_cents"], 2000);
    assert_eq!(periods[2]["refunds_cents"], refunds);
    for p in periods {
        assert_eq!(
            p["net_cents"].as_i64().unwrap(),
            p["gross_cents"].as_i64().unwrap() - p["refunds_cents"].as_i64().unwrap()
        );
    }
    let sum: i64 = periods
        .iter()
        .map(|p| p["gross_cents"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, 11000);
}

#[tokio::test]
async fn instructors_and_vendors_see_only_their_own_figures() {
    let app = spawn_app().await;
    let school = seed(&app).await;
    let path = format!("/api/admin/analytics/sales?{JANUARY}&interval=month");
    let (_, teacher) = app.get(&path, Some(&school.teacher.token)).await;
    assert_eq!(teacher["scope"], "own");
    assert_eq!(
        (
            teacher["totals"]["gross_cents"].as_i64(),
            teacher["totals"]["orders"].as_i64()
        ),
        (Some(5000), Some(1))
    );
    let (_, vendor) = app.get(&path, Some(&school.vendor.token)).await;
    let refunds = if school.refunds { 2000 } else { 0 };
    assert_eq!(
        (
            vendor["totals"]["gross_cents"].as_i64(),
            vendor["totals"]["orders"].as_i64()
        ),
        (Some(3000), Some(2))
    );
    assert_eq!(vendor["totals"]["net_cents"], 3000 - refunds);

    let (_, courses) = app
        .get(
            &format!("/api/admin/analytics/top-courses?{JANUARY}"),
            Some(&school.teacher.token),
        )
        .await;
    let ids: Vec<&str> = courses["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["course_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["C1"]);
    let (status, body) = app
        .get(
            "/api/admin/analytics/courses/C2",
            Some(&school.teacher.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
    let (_, products) = app
        .get(
            &format!("/api/admin/analytics/top-products?{JANUARY}"),
            Some(&school.teacher.token),
        )
        .await;
    assert_eq!(products["items"], serde_json::json!([]));

    let student = app.student().await;
    let (status, body) = app.get(&path, Some(&student.token)).await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
    let (status, body) = app
        .get("/api/admin/orders/export", Some(&school.teacher.token))
        .await;
    assert_problem(status, &body, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn top_lists_and_the_course_funnel_match_hand_computed_figures() {
    let app = spawn_app().await;
    let school = seed(&app).await;
    let admin = Some(school.admin.token.as_str());
    let (_, products) = app
        .get(
            &format!("/api/admin/analytics/top-products?{JANUARY}"),
            admin,
        )
        .await;
    assert_eq!(
        products["items"],
        serde_json::json!([{"product_id": "P1", "name": "Sticker pack", "units": 3, "revenue_cents": 3000}])
    );

    let (_, courses) = app
        .get(
            &format!("/api/admin/analytics/top-courses?{JANUARY}"),
            admin,
        )
        .await;
    let items = courses["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["course_id"], "C1");
    assert_eq!(items[0]["revenue_cents"], 5000);
    assert_eq!(items[0]["enrolments"], 2);
    assert_eq!(items[0]["completion_rate"], 0.5);
    assert_eq!(items[0]["average_progress_percent"], 75.0);
    assert_eq!(items[0]["rating"], 4.5);
    assert_eq!(
        (
            items[1]["course_id"].as_str(),
            items[1]["revenue_cents"].as_i64()
        ),
        (Some("C2"), Some(3000))
    );
    assert_eq!(items[1]["rating"], Value::Null);

    let (status, report) = app
        .get(
            "/api/admin/analytics/courses/C1",
            Some(&school.teacher.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let f = &report["funnel"];
    let counts: Vec<i64> = [
        "enrolled",
        "started",
        "reached_25",
        "reached_50",
        "reached_75",
        "reached_100",
        "completed",
    ]
    .iter()
    .map(|k| f[k].as_i64().unwrap())
    .collect();
    assert_eq!(counts, [2, 2, 2, 2, 1, 1, 1]);
    assert_eq!(f["average_time_spent_seconds"], 450);
    let quiz = &report["quizzes"][0];
    assert_eq!(quiz["lesson_id"], "L2");
    assert_eq!(
        (quiz["attempts"].as_i64(), quiz["passed_attempts"].as_i64()),
        (Some(3), Some(1))
    );
    assert_eq!(quiz["pass_rate"], 0.5);
    let _ = &school.other_teacher;
}

#[tokio::test]
async fn users_report_counts_roles_signups_and_active_users() {
    let app = spawn_app().await;
    let school = seed(&app).await;
    let (status, body) = app
        .get(
            "/api/admin/analytics/users?from=2026-01-05&to=2026-01-06",
            Some(&school.admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let roles: Vec<(String, i64)> = body["by_role"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["role"].as_str().unwrap().to_string(),
                r["users"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            ("admin".into(), 1),
            ("instructor".into(), 2),
            ("student".into(), 2),
            ("vendor".into(), 1)
        ]
    );
    let active: Vec<i64> = body["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["active_users"].as_i64().unwrap())
        .collect();
    assert_eq!(active, [1, 2]);
    assert_eq!(
        (
            body["dau"].as_i64(),
            body["wau"].as_i64(),
            body["mau"].as_i64()
        ),
        (Some(2), Some(2), Some(2))
    );
    let (_, wider) = app
        .get(
            "/api/admin/analytics/users?from=2025-12-01&to=2026-01-06&interval=month",
            Some(&school.admin.token),
        )
        .await;
    assert_eq!(wider["mau"], 2);
    let months: Vec<i64> = wider["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["active_users"].as_i64().unwrap())
        .collect();
    assert_eq!(months, [1, 2]);
    let (_, per_course) = app
        .get(
            "/api/admin/analytics/users?from=2026-01-06&to=2026-01-09",
            Some(&school.admin.token),
        )
        .await;
    assert_eq!(
        per_course["learners_active_per_course"][0]["course_id"],
        "C1"
    );
    assert_eq!(
        per_course["learners_active_per_course"][0]["active_learners"],
        2
    );
    // The teacher's scope: the two learners of C1 (students only).
    let (_, own) = app
        .get(
            "/api/admin/analytics/users?from=2026-01-05&to=2026-01-06",
            Some(&school.teacher.token),
        )
        .await;
    assert_eq!(
        own["by_role"],
        serde_json::json!([{"role": "student", "users": 2}])
    );
}

#[tokio::test]
async fn authenticated_requests_record_activity_once_a_day() {
    let app = spawn_app().await;
    let student = app.student().await;
    for _ in 0..3 {
        let (status, _) = app.get("/api/users/me", Some(&student.token)).await;
        assert_eq!(status, StatusCode::OK);
    }
    let id = student.id.clone();
    let mut rows = 0;
    for _ in 0..100 {
        let id = id.clone();
        rows = app
            .state
            .db
            .read(move |conn| {
                Ok(conn.query_row(
                    "SELECT COUNT(*) FROM user_activity WHERE user_id = ?1",
                    [id],
                    |r| r.get::<_, i64>(0),
                )?)
            })
            .await
            .unwrap();
        if rows > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(rows, 1);
}

async fn csv_of(
    app: &TestApp,
    path: &str,
    token: &str,
) -> (
    reqwest::header::HeaderMap,
    Vec<csv::StringRecord>,
    csv::StringRecord,
) {
    let (headers, bytes) = app.download(path, token).await;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header = reader.headers().unwrap().clone();
    (
        headers,
        reader.records().map(Result::unwrap).collect(),
        header,
    )
}

#[tokio::test]
async fn reports_download_as_csv_that_parses_back() {
    let app = spawn_app().await;
    let school = seed(&app).await;
    let token = school.admin.token.as_str();
    let (headers, rows, header) = csv_of(
        &app,
        &format!("/api/admin/analytics/sales?{JANUARY}&interval=month&format=csv"),
        token,
    )
    .await;
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(&header[1], "gross_cents");
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (&rows[1][0], &rows[1][1], &rows[1][4]),
        ("total", "11000", "3")
    );

    let (_, rows, _) = csv_of(
        &app,
        &format!("/api/admin/analytics/top-courses?{JANUARY}&format=csv"),
        token,
    )
    .await;
    // A title with a comma and quotes survives the round trip.
    assert_eq!(&rows[0][1], "Rust, \"the\" basics");

    let (_, rows, header) =
        csv_of(&app, &format!("/api/admin/orders/export?{JANUARY}"), token).await;
    assert_eq!(&header[0], "number");
    let numbers: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(numbers, ["SH-1", "SH-2", "SH-4", "SH-3"]);
    assert_eq!(&rows[0][5], "s1@example.com");
    for format in ["users", "top-products", "courses/C1"] {
        let (_, rows, _) = csv_of(
            &app,
            &format!("/api/admin/analytics/{format}?format=csv"),
            token,
        )
        .await;
        assert!(!rows.is_empty() || format == "top-products");
    }
}

#[tokio::test]
async fn bad_report_parameters_are_named() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for (query, field) in [
        ("from=2026-02-01&to=2026-01-01", "from"),
        ("from=yesterday", "from"),
        ("interval=year", "interval"),
        ("format=xml", "format"),
        ("from=1900-01-01&to=2026-01-01", "to"),
    ] {
        let (status, body) = app
            .get(
                &format!("/api/admin/analytics/sales?{query}"),
                Some(&admin.token),
            )
            .await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], field, "{query}: {body}");
    }
    let (status, body) = app
        .get(
            "/api/admin/analytics/top-products?limit=0",
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app
        .get("/api/admin/analytics/courses/nope", Some(&admin.token))
        .await;
    assert_problem(status, &body, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_reports_read_rollups_that_analytics_rebuild_recomputes() {
    let app = spawn_app().await;
    let school = seed(&app).await;
    assert_eq!(january_gross(&app, &school.admin.token).await, 11000);
    // A rollup damaged behind the app's back (a hand edit): the report shows it...
    app.state
        .db
        .write(|conn| {
            conn.execute("UPDATE sales_by_day SET gross_cents = 0", [])?;
            conn.execute("UPDATE course_standings SET enrolments = 0", [])?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(january_gross(&app, &school.admin.token).await, 0);
    assert_eq!(enrolled_in_c1(&app, &school.admin.token).await, 0);
    // ...until the rollups are recomputed from the orders, while the server runs.
    let data_dir = app.state.config.data_dir.to_string_lossy().to_string();
    let out =
        crate::ops::upgrades::run_cli(&["analytics", "rebuild", "--data-dir", &data_dir], &[]);
    let said = crate::ops::upgrades::text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("sales rollups rebuilt"), "{said}");
    assert!(said.contains("learning rollups rebuilt"), "{said}");
    assert_eq!(january_gross(&app, &school.admin.token).await, 11000);
    assert_eq!(enrolled_in_c1(&app, &school.admin.token).await, 2);
}

async fn enrolled_in_c1(app: &TestApp, token: &str) -> i64 {
    let (status, body) = app
        .get("/api/admin/analytics/courses/C1", Some(token))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["funnel"]["enrolled"].as_i64().unwrap()
}

async fn january_gross(app: &TestApp, token: &str) -> i64 {
    let path = format!("/api/admin/analytics/sales?{JANUARY}&interval=month");
    let (status, body) = app.get(&path, Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["totals"]["gross_cents"].as_i64().unwrap()
}
