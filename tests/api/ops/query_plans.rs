//! Hot queries use indexes: `EXPLAIN QUERY PLAN` of the real store SQL never scans a table
//! that grows with the school (users, sessions, orders, progress ...).

use schoolhouse::auth::store::SESSION_CHECK_SQL;
use schoolhouse::catalog::listing::{self, ListParams, Target, Viewer};
use schoolhouse::catalog::store::{courses, products};
use schoolhouse::commerce::store::{cart, orders};
use schoolhouse::learning::store::{course_order, enrollments, lists, progress};

use reqwest::StatusCode;
use schoolhouse::users::Role;
use serde_json::{Value, json};

use crate::catalog::course;
use crate::support::{TestApp, spawn_app, uuid_suffix};

/// What a hot query may scan: small lookup tables, CTEs, table-valued functions
/// (`json_each`), virtual tables (FTS), covering indexes, and an index walked in order for a
/// page (`SCAN o USING INDEX ..` stops at the LIMIT). Everything else (users, sessions,
/// orders, progress ... however aliased) must be searched through an index.
const MAY_SCAN: &[&str] = &[
    "categories",
    "tags",
    "counters",
    "sub",
    "page",
    "json_each",
    "CONSTANT",
];

/// The plan's detail lines that scan a whole table, row by row, or that run a full-text
/// MATCH once per row of another table (an FTS5 index with both a rowid `=` and a MATCH `M`
/// constraint: the full-text index must drive the join instead).
fn full_scans(plan: &[String]) -> Vec<String> {
    plan.iter()
        .filter(|line| {
            let mut words = line.split_whitespace();
            let scan = words.next() == Some("SCAN")
                && words.next().is_some_and(|table| !MAY_SCAN.contains(&table))
                && !line.contains(" USING ")
                && !line.contains("VIRTUAL TABLE");
            let match_per_row = line
                .split_once("VIRTUAL TABLE INDEX ")
                .and_then(|(_, index)| index.split_once(':'))
                .is_some_and(|(_, constraints)| {
                    constraints.contains('=') && constraints.contains('M')
                });
            scan || match_per_row
        })
        .cloned()
        .collect()
}

/// The plan's lines that evaluate a subquery for every row (an N+1 inside SQLite).
fn per_row_subqueries(plan: &[String]) -> Vec<String> {
    plan.iter()
        .filter(|line| line.starts_with("CORRELATED "))
        .cloned()
        .collect()
}

async fn plans(app: &crate::support::TestApp, queries: Vec<(&'static str, String)>) {
    check_plans(app, queries, false).await;
}

/// Like [`plans`], and every statement must also do without per-row subqueries.
async fn plans_without_per_row_subqueries(
    app: &crate::support::TestApp,
    queries: Vec<(&'static str, String)>,
) {
    check_plans(app, queries, true).await;
}

async fn check_plans(
    app: &crate::support::TestApp,
    queries: Vec<(&'static str, String)>,
    no_per_row_subqueries: bool,
) {
    let mut found = Vec::new();
    for (name, sql) in queries {
        found.push((name, plan_of(app, sql).await));
    }
    let mut failures = Vec::new();
    for (name, plan) in &found {
        let plan = plan
            .as_ref()
            .unwrap_or_else(|e| panic!("cannot explain {name}: {e}"));
        // (An upsert has an empty plan: its conflict target is the primary key.)
        let mut scans = full_scans(plan);
        if no_per_row_subqueries {
            scans.extend(per_row_subqueries(plan));
        }
        if !scans.is_empty() {
            failures.push(format!("{name}: {scans:?} in {plan:#?}"));
        }
    }
    assert!(failures.is_empty(), "full scans:\n{}", failures.join("\n"));
}

fn list(target: Target, params: ListParams, viewer: Viewer) -> (String, String) {
    let sql = listing::build(&params, target, &viewer).expect("valid list params");
    match target {
        Target::Courses => courses::list_sql(&sql),
        Target::Products => products::list_sql(&sql),
    }
}

#[tokio::test]
async fn catalogue_reads_use_indexes() {
    let app = spawn_app().await;
    let filtered = ListParams {
        category: Some("arts".into()),
        sort: Some("rating".into()),
        ..ListParams::default()
    };
    let (course_count, course_page) = list(Target::Courses, filtered, Viewer::Public);
    let (newest_count, newest_page) = list(Target::Courses, ListParams::default(), Viewer::Public);
    let search = ListParams {
        q: Some("garden".into()),
        ..ListParams::default()
    };
    let (search_count, search_page) = list(Target::Products, search, Viewer::Public);
    let by_price = ListParams {
        sort: Some("price".into()),
        kind: Some("physical".into()),
        ..ListParams::default()
    };
    let (price_count, price_page) = list(Target::Products, by_price, Viewer::Public);
    let course_search = ListParams {
        q: Some("garden".into()),
        ..ListParams::default()
    };
    let (course_search_count, course_search_page) =
        list(Target::Courses, course_search, Viewer::Public);
    plans_without_per_row_subqueries(
        &app,
        vec![
            ("course list count", course_count),
            ("course list page", course_page),
            ("newest courses count", newest_count),
            ("newest courses page", newest_page),
            ("course detail", courses::get_sql()),
            ("course search count", course_search_count),
            ("course search page", course_search_page),
            ("product search count", search_count),
            ("product search page", search_page),
            ("products by price count", price_count),
            ("products by price page", price_page),
            ("product detail", products::get_sql()),
        ],
    )
    .await;
}

#[tokio::test]
async fn authenticated_writes_and_personal_lists_use_indexes() {
    let app = spawn_app().await;
    let (orders_count, orders_page) = orders::list_sql(false);
    let (admin_orders_count, admin_orders_page) = orders::list_sql(true);
    plans(
        &app,
        vec![
            ("session check", SESSION_CHECK_SQL.to_string()),
            ("cart line lookup", cart::find_sql()),
            ("cart of a user", cart::list_sql()),
            ("enrolment lookup", enrollments::find_sql()),
            ("my courses", enrollments::for_user_sql()),
            ("students of a course", enrollments::for_course_sql()),
            ("progress upsert", progress::ADD_TIME_SQL.to_string()),
            (
                "product ordered check",
                products::PRODUCT_ORDERED_SQL.to_string(),
            ),
            (
                "lesson facts for completion",
                progress::LESSON_FACTS_SQL.to_string(),
            ),
            ("completed lessons", progress::COMPLETED_IDS_SQL.to_string()),
            (
                "a course's lessons in order",
                course_order::COURSE_ORDER_SQL.to_string(),
            ),
            ("page of enrolment figures", lists::FIGURES_SQL.to_string()),
            ("page of quiz standings", lists::STANDINGS_SQL.to_string()),
            ("my orders count", orders_count),
            ("my orders page", orders_page),
            ("all orders count", admin_orders_count),
            ("all orders page", admin_orders_page),
        ],
    )
    .await;
}

#[tokio::test]
async fn the_hold_checks_read_only_the_buyers_unpaid_orders() {
    let app = spawn_app().await;
    for (name, sql, wanted) in [
        (
            "open unpaid orders",
            orders::OPEN_UNPAID_SQL,
            "orders_user_pending",
        ),
        (
            "pending units",
            orders::PENDING_UNITS_SQL,
            "orders_user_pending",
        ),
    ] {
        let plan = plan_of(&app, sql.to_string()).await.expect("explain");
        assert!(
            plan.first().is_some_and(|first| first.contains(wanted)),
            "{name} must start from the buyer's unpaid orders: {plan:#?}"
        );
        assert!(
            !plan.iter().any(|line| line.contains("order_items_item")),
            "{name} walks every line of the product: {plan:#?}"
        );
    }
}

#[tokio::test]
async fn the_mail_sender_reads_its_batch_in_order_without_sorting_the_queue() {
    let app = spawn_app().await;
    let plan = plan_of(&app, schoolhouse::mail::store::due_sql())
        .await
        .expect("explain");
    // A sale's receipts share their next attempt's time: sorting the ties would read the
    // whole queue for every batch of 200.
    assert!(
        plan.iter().all(|line| !line.contains("TEMP B-TREE")),
        "the due batch sorts the queue: {plan:#?}"
    );
    assert!(
        plan.first()
            .is_some_and(|first| first.contains("outbox_due")),
        "the due batch must be read through outbox_due: {plan:#?}"
    );
}

/// `EXPLAIN QUERY PLAN` of `sql`, its parameters unbound (the plan does not depend on their
/// values): one detail line a step.
async fn plan_of(app: &TestApp, sql: String) -> Result<Vec<String>, String> {
    app.state
        .db
        .read(move |conn| {
            let plan = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .and_then(|mut stmt| {
                    let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
                    stmt.query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))?
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .map_err(|e| e.to_string());
            Ok(plan)
        })
        .await
        .expect("explain")
}

#[test]
fn a_full_scan_of_a_big_table_is_caught_and_a_covering_one_allowed() {
    let plan = |s: &str| vec![s.to_string()];
    assert_eq!(full_scans(&plan("SCAN orders")).len(), 1);
    assert_eq!(
        full_scans(&plan("SCAN o")).len(),
        1,
        "aliases count as big tables"
    );
    assert!(full_scans(&plan("SCAN products_fts VIRTUAL TABLE INDEX 0:M1")).is_empty());
    assert!(full_scans(&plan("SCAN orders USING COVERING INDEX orders_created")).is_empty());
    assert!(full_scans(&plan("SEARCH orders USING INDEX orders_user (user_id=?)")).is_empty());
    assert!(full_scans(&plan("SCAN o USING INDEX orders_created_cover")).is_empty());
    assert!(full_scans(&plan("SCAN categories")).is_empty());
    assert_eq!(
        full_scans(&plan("SCAN products_fts VIRTUAL TABLE INDEX 0:=M2")).len(),
        1,
        "a MATCH run once per product row is caught"
    );
    assert!(full_scans(&plan("SCAN products_fts VIRTUAL TABLE INDEX 0:M2")).is_empty());
    assert_eq!(
        per_row_subqueries(&plan("CORRELATED SCALAR SUBQUERY 1")).len(),
        1
    );
}

/// A course's lesson count and total duration as its page shows them.
async fn figures(app: &TestApp, path: &str) -> (Value, Value) {
    let (status, card) = app.get(path, None).await;
    assert_eq!(status, StatusCode::OK, "{card}");
    (
        card["lesson_count"].clone(),
        card["total_duration_seconds"].clone(),
    )
}

#[tokio::test]
async fn a_course_card_counts_its_lessons_and_their_duration_as_they_change() {
    let app = spawn_app().await;
    let teacher = app
        .user(
            Role::Instructor,
            &format!("figures-{}@example.com", uuid_suffix()),
        )
        .await;
    let token = Some(teacher.token.as_str());
    let k = course(
        &app,
        &teacher.token,
        json!({"title": "Figures", "price_cents": 0, "status": "published"}),
    )
    .await;
    let base = format!("/api/courses/{}", k["id"].as_str().unwrap());
    let (_, section) = app
        .post(&format!("{base}/sections"), json!({"title": "One"}), token)
        .await;
    let mut lesson_ids = Vec::new();
    for (title, seconds) in [("Intro", 60), ("Main", 120)] {
        let (status, lesson) = app
            .post(
                &format!("{base}/lessons"),
                json!({"section_id": section["id"], "content_type": "reading", "title": title,
                       "body_markdown": "Text", "duration_seconds": seconds}),
                token,
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{lesson}");
        lesson_ids.push(lesson["id"].as_str().unwrap().to_string());
    }
    assert_eq!(figures(&app, &base).await, (json!(2), json!(180)));

    let (status, _) = app
        .put(
            &format!("{base}/lessons/{}", lesson_ids[1]),
            json!({"duration_seconds": 300}),
            token,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(figures(&app, &base).await, (json!(2), json!(360)));

    let (status, _) = app
        .delete(&format!("{base}/lessons/{}", lesson_ids[0]), token)
        .await;
    assert!(status.is_success(), "{status}");
    assert_eq!(figures(&app, &base).await, (json!(1), json!(300)));
    let (_, list) = app.get("/api/courses?q=figures", None).await;
    assert_eq!(list["items"][0]["lesson_count"], 1, "{list}");
    assert_eq!(list["items"][0]["total_duration_seconds"], 300);
}
