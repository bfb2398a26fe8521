//! The membership report beside the sales report, against a hand-seeded school: two months
//! of subscriptions paid, failed, recovered and cancelled, checked to the cent, as JSON and
//! CSV; the sales report beside it stays net of refunds and holds no membership money.

use reqwest::StatusCode;
use schoolhouse::users::Role;
use serde_json::{Value, json};

use super::reports::{has_table, sql};
use crate::support::{TestApp, TestUser, spawn_app};

const RANGE: &str = "from=2026-01-01&to=2026-02-28&interval=month";

/// Plans M (19.00 a month), Y (120.00 a year), YT (yearly with a 14-day trial), a payment
/// plan; memberships A..H and a payment plan P across December to February.
async fn seed(app: &TestApp) -> TestUser {
    let admin = app.admin().await;
    let mut ids = Vec::new();
    for name in ["a", "b", "c", "d", "e", "f", "h", "p"] {
        ids.push(
            app.user(Role::Student, &format!("{name}@example.com"))
                .await
                .id,
        );
    }
    let [a, b, c, d, e, f, h, p] = ids.try_into().unwrap();
    let teacher = app.user(Role::Instructor, "t@example.com").await.id;
    let ts = "2025-12-01T00:00:00Z";
    sql(app, format!("
        INSERT INTO courses (id, instructor_id, title, slug, price_cents, currency, status, rating_sum, rating_count, created_at, updated_at)
        VALUES ('C1', '{teacher}', 'Rust', 'c1', 12000, 'USD', 'published', 0, 0, '{ts}', '{ts}');
        INSERT INTO membership_plans (id, name, interval, price_cents, currency, trial_days, scope, cycles, course_id, created_at, updated_at)
        VALUES ('M', 'Monthly', 'month', 1900, 'USD', 0, 'all', NULL, NULL, '{ts}', '{ts}'),
               ('Y', 'Yearly', 'year', 12000, 'USD', 0, 'all', NULL, NULL, '{ts}', '{ts}'),
               ('YT', 'Yearly with trial', 'year', 12000, 'USD', 14, 'all', NULL, NULL, '{ts}', '{ts}'),
               ('PP', 'Rust in 3', 'month', 4000, 'USD', 0, 'courses', 3, 'C1', '{ts}', '{ts}');
        INSERT INTO membership_plan_courses (plan_id, course_id) VALUES ('PP', 'C1');
        INSERT INTO memberships (id, user_id, plan_id, status, gateway, cycles_paid, started_at, ended_at, updated_at)
        VALUES ('A', '{a}', 'M', 'active', 'stripe', 2, '2026-01-03T10:00:00Z', NULL, '{ts}'),
               ('B', '{b}', 'Y', 'active', 'stripe', 1, '2026-01-10T10:00:00Z', NULL, '{ts}'),
               ('C', '{c}', 'M', 'active', 'stripe', 2, '2026-01-15T10:00:00Z', NULL, '{ts}'),
               ('D', '{d}', 'M', 'expired', 'stripe', 1, '2026-01-20T10:00:00Z', '2026-02-27T10:00:00Z', '{ts}'),
               ('E', '{e}', 'M', 'cancelled', 'stripe', 1, '2026-01-05T10:00:00Z', '2026-02-10T10:00:00Z', '{ts}'),
               ('F', '{f}', 'M', 'active', 'comp', 0, '2026-02-01T09:00:00Z', NULL, '{ts}'),
               ('G', '{a}', 'YT', 'trialing', 'stripe', 0, '2026-02-20T10:00:00Z', NULL, '{ts}'),
               ('H', '{h}', 'M', 'cancelled', 'stripe', 1, '2025-12-10T10:00:00Z', '2026-01-12T10:00:00Z', '{ts}'),
               ('P', '{p}', 'PP', 'active', 'stripe', 1, '2026-01-02T10:00:00Z', NULL, '{ts}');
        INSERT INTO membership_invoices (id, membership_id, stripe_invoice_id, status, amount_cents, currency, at)
        VALUES ('iA1', 'A', 'in_A1', 'paid', 1900, 'USD', '2026-01-03T10:00:00Z'),
               ('iA2', 'A', 'in_A2', 'paid', 1900, 'USD', '2026-02-03T10:00:00Z'),
               ('iB1', 'B', 'in_B1', 'paid', 12000, 'USD', '2026-01-10T10:00:00Z'),
               ('iC1', 'C', 'in_C1', 'paid', 1900, 'USD', '2026-01-15T10:00:00Z'),
               ('iC2', 'C', 'in_C2', 'failed', 1900, 'USD', '2026-02-15T10:00:00Z'),
               ('iC3', 'C', 'in_C2', 'paid', 1900, 'USD', '2026-02-18T10:00:00Z'),
               ('iD1', 'D', 'in_D1', 'paid', 1900, 'USD', '2026-01-20T10:00:00Z'),
               ('iD2', 'D', 'in_D2', 'failed', 1900, 'USD', '2026-02-20T10:00:00Z'),
               ('iE1', 'E', 'in_E1', 'paid', 1900, 'USD', '2026-01-05T10:00:00Z'),
               ('iH1', 'H', 'in_H1', 'paid', 1900, 'USD', '2025-12-10T10:00:00Z'),
               ('iP1', 'P', 'in_P1', 'paid', 4000, 'USD', '2026-01-02T10:00:00Z'),
               ('iP2', 'P', 'in_P2', 'failed', 4000, 'USD', '2026-02-02T10:00:00Z');
    ")).await;
    admin
}

fn figures(v: &Value) -> [i64; 7] {
    [
        "mrr_cents",
        "active_members",
        "new_members",
        "churned_members",
        "revenue_cents",
        "failed_payments",
        "recovered_payments",
    ]
    .map(|k| v[k].as_i64().unwrap_or_else(|| panic!("{k} in {v}")))
}

#[tokio::test]
async fn the_membership_report_counts_two_months_to_the_cent() {
    let app = spawn_app().await;
    let admin = seed(&app).await;
    let (status, body) = app
        .get(
            &format!("/api/admin/analytics/memberships?{RANGE}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let periods = body["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 2, "{body}");
    assert_eq!(periods[0]["period"], "2026-01-01");
    // January: A, B, C, D, E start (P is a payment plan, H started in December); H ends.
    // Revenue 1900 x4 + 12000; at Feb 1: A, C, D, E monthly + B's 12000/12.
    assert_eq!(figures(&periods[0]), [8600, 5, 5, 1, 19_600, 0, 0]);
    // February: F (comp) and G (trial) start; E and D end; C fails and pays, D fails.
    // Revenue A 1900 + C 1900; at Mar 1: A 1900 + B 1000 + C 1900 (F comp, G in trial);
    // people: a (A and G), b, c, f.
    assert_eq!(figures(&periods[1]), [4800, 4, 2, 2, 3800, 2, 1]);
    // Totals: flows summed; MRR and members now (G's trial is long over: + 1000).
    assert_eq!(figures(&body["totals"]), [5800, 4, 7, 3, 23_400, 2, 1]);
    assert_eq!(body["currency"], "USD");

    // The older summary endpoint says the same for the range.
    let (status, summary) = app
        .get(
            "/api/admin/memberships/report?from=2026-01-01&to=2026-02-28",
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!(
        [
            &summary["mrr_cents"],
            &summary["active_members"],
            &summary["new_members"],
            &summary["churned_members"],
            &summary["failed_payments"],
            &summary["recovered_payments"],
        ],
        [
            &json!(5800),
            &json!(4),
            &json!(7),
            &json!(3),
            &json!(2),
            &json!(1)
        ]
    );

    let response = app
        .client
        .get(app.url(&format!(
            "/api/admin/analytics/memberships?{RANGE}&format=csv"
        )))
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = response.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "period,mrr_cents,active_members,new_members,churned_members,revenue_cents,failed_payments,recovered_payments",
            "2026-01-01,8600,5,5,1,19600,0,0",
            "2026-02-01,4800,4,2,2,3800,2,1",
            "total,5800,4,7,3,23400,2,1",
        ]
    );
}

#[tokio::test]
async fn the_sales_report_beside_it_stays_net_of_refunds_and_holds_no_membership_money() {
    let app = spawn_app().await;
    let admin = seed(&app).await;
    let s1 = app.user(Role::Student, "buyer@example.com").await.id;
    let ts = "2026-01-01T00:00:00Z";
    sql(&app, format!("
        INSERT INTO orders (id, number, user_id, status, currency, subtotal_cents, discount_cents, tax_cents, shipping_cents, total_cents, prices_include_tax, created_at, updated_at, paid_at)
        VALUES ('O1', 'SH-1', '{s1}', 'paid', 'USD', 12000, 0, 0, 0, 12000, 0, '2026-01-05T09:00:00Z', '{ts}', '2026-01-05T10:00:00Z'),
               ('O3', 'SH-3', '{s1}', 'refunded', 'USD', 2000, 0, 0, 0, 2000, 0, '2026-02-13T08:00:00Z', '{ts}', '2026-02-13T09:00:00Z');
        INSERT INTO order_items (id, order_id, item_type, item_kind, item_id, name, quantity, unit_price_cents, discount_cents, tax_cents, tax_rate_bps, total_cents, vendor_id, position)
        VALUES ('I1', 'O1', 'course', 'course', 'C1', 'Rust', 1, 12000, 0, 0, 0, 12000, NULL, 1),
               ('I3', 'O3', 'course', 'course', 'C1', 'Rust', 1, 2000, 0, 0, 0, 2000, NULL, 1);
    ")).await;
    assert!(has_table(&app, "refunds").await);
    sql(&app, format!("
        INSERT INTO payments (id, order_id, user_id, gateway, status, amount_cents, currency, created_at, updated_at)
        VALUES ('PAY3', 'O3', '{s1}', 'manual', 'refunded', 2000, 'USD', '{ts}', '{ts}');
        INSERT INTO refunds (id, order_id, payment_id, user_id, status, amount_cents, reason, eligibility, created_at, updated_at, processed_at)
        VALUES ('R1', 'O3', 'PAY3', '{s1}', 'processed', 2000, 'broken', '{{}}', '{ts}', '2026-02-14T10:00:00Z', '2026-02-14T10:00:00Z');
        INSERT INTO refund_items (refund_id, order_item_id) VALUES ('R1', 'I3');
    ")).await;
    let (status, sales) = app
        .get(
            &format!("/api/admin/analytics/sales?{RANGE}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{sales}");
    let totals = &sales["totals"];
    assert_eq!(totals["gross_cents"], 14_000, "orders only: {sales}");
    assert_eq!(totals["refunds_cents"], 2000);
    assert_eq!(totals["net_cents"], 12_000);
    assert_eq!(sales["periods"][1]["net_cents"], 0, "February: 2000 - 2000");
    let (_, members) = app
        .get(
            &format!("/api/admin/analytics/memberships?{RANGE}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(
        members["totals"]["revenue_cents"], 23_400,
        "orders do not leak into memberships"
    );
}

#[tokio::test]
async fn the_membership_report_is_for_admins_and_names_bad_parameters() {
    let app = spawn_app().await;
    let admin = seed(&app).await;
    let teacher = app.user(Role::Instructor, "teacher2@example.com").await;
    let (status, _) = app
        .get("/api/admin/analytics/memberships", Some(&teacher.token))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for (query, field) in [
        ("interval=year", "interval"),
        ("format=xml", "format"),
        ("from=2026-03-01&to=2026-02-01", "from"),
    ] {
        let (status, problem) = app
            .get(
                &format!("/api/admin/analytics/memberships?{query}"),
                Some(&admin.token),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {problem}"
        );
        assert_eq!(problem["errors"][0]["field"], field, "{query}");
    }
}
