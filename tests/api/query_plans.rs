//! Hot queries use indexes: `EXPLAIN QUERY PLAN` of the real store SQL never scans a table
//! that grows with the school (users, sessions, orders, progress ...).

use schoolhouse::auth::store::SESSION_CHECK_SQL;
use schoolhouse::catalog::listing::{self, ListParams, Target, Viewer};
use schoolhouse::catalog::store::{courses, products};
use schoolhouse::commerce::store::{cart, orders};
use schoolhouse::learning::store::{enrollments, lists, progress};

use crate::support::spawn_app;

/// What a hot query may scan: small lookup tables, CTEs, table-valued functions
/// (`json_each`), virtual tables (FTS), covering indexes, and an index walked in order for a
/// page (`SCAN o USING INDEX ..` stops at the LIMIT). Everything else (users, sessions,
/// orders, progress ... however aliased) must be searched through an index.
const MAY_SCAN: &[&str] = &[
    "categories",
    "tags",
    "counters",
    "sub",
    "json_each",
    "CONSTANT",
];

/// The plan's detail lines that scan a whole table, row by row.
fn full_scans(plan: &[String]) -> Vec<String> {
    plan.iter()
        .filter(|line| {
            let mut words = line.split_whitespace();
            words.next() == Some("SCAN")
                && words.next().is_some_and(|table| !MAY_SCAN.contains(&table))
                && !line.contains(" USING ")
                && !line.contains("VIRTUAL TABLE")
        })
        .cloned()
        .collect()
}

async fn plans(app: &crate::support::TestApp, queries: Vec<(&'static str, String)>) {
    let found = app
        .state
        .db
        .read(move |conn| {
            let mut out = Vec::new();
            for (name, sql) in queries {
                let plan = conn
                    .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                    .and_then(|mut stmt| {
                        // Unbound parameters: the plan does not depend on their values.
                        let nulls = vec![rusqlite::types::Value::Null; stmt.parameter_count()];
                        stmt.query_map(rusqlite::params_from_iter(nulls), |r| {
                            r.get::<_, String>(3)
                        })?
                        .collect::<rusqlite::Result<Vec<_>>>()
                    })
                    .map_err(|e| format!("{name}: {e}"));
                out.push((name, plan));
            }
            Ok(out)
        })
        .await
        .expect("explain");
    let mut failures = Vec::new();
    for (name, plan) in &found {
        let plan = plan
            .as_ref()
            .unwrap_or_else(|e| panic!("cannot explain {e}"));
        // (An upsert has an empty plan: its conflict target is the primary key.)
        let scans = full_scans(plan);
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
    plans(
        &app,
        vec![
            ("course list count", course_count),
            ("course list page", course_page),
            ("newest courses count", newest_count),
            ("newest courses page", newest_page),
            ("course detail", courses::get_sql()),
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
                "completed lessons",
                progress::COMPLETED_REQUIRED_SQL.to_string(),
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
}
