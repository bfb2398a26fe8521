//! Adversarial rows for invoices and credit notes (issue 30): each row names the abuse and
//! checks the answer and that no document, number or credit changed.

use futures::future::join_all;
use reqwest::{Method, StatusCode};
use schoolhouse::http::AppError;
use serde_json::{Value, json};

use crate::commerce::invoices::{paid_course, refunded, seller};
use crate::payments::{course, order_for};
use crate::support::{TestApp, spawn_app_with};

/// Documents, their series counters and the money they credit: what an abuse must not move.
async fn snapshot(app: &TestApp) -> Value {
    app.state
        .db
        .read(|conn| {
            let docs: Vec<String> = conn
                .prepare("SELECT kind || ':' || number || ':' || total_cents FROM invoices ORDER BY kind, seq")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let counters: Vec<i64> = conn
                .prepare("SELECT value FROM counters WHERE name IN ('invoice', 'credit_note') ORDER BY name")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let refunds: Vec<String> = conn
                .prepare("SELECT status || ':' || amount_cents FROM refunds ORDER BY created_at, id")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok::<_, AppError>(json!({"docs": docs, "counters": counters, "refunds": refunds}))
        })
        .await
        .unwrap()
}

struct Row {
    sentence: &'static str,
    /// "owner", "other", "none" (no token) or "admin".
    who: &'static str,
    method: Method,
    path: String,
    body: Option<Value>,
    status: StatusCode,
}

#[tokio::test]
async fn nobody_reaches_or_inflates_documents_they_have_no_right_to() {
    let app = spawn_app_with(seller).await;
    let admin = app.admin().await;
    let (owner, other) = (app.student().await, app.student().await);
    let refunded_order = paid_course(&app, &admin, &owner, 10000).await;
    refunded(&app, &admin, &owner, &refunded_order).await;
    let (_, docs) = app
        .get(
            &format!("/api/orders/{refunded_order}/invoices"),
            Some(&owner.token),
        )
        .await;
    let (invoice_id, note_id) = (
        docs[0]["id"].as_str().unwrap().to_string(),
        docs[1]["id"].as_str().unwrap().to_string(),
    );
    let others_order = paid_course(&app, &admin, &other, 4000).await;
    let c = course(&app, &admin, 500).await;
    let unpaid = order_for(&app, &owner, &c).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let today = app.state.now_text()[..10].to_string();

    let get = |sentence, who, path: String, status| Row {
        sentence,
        who,
        method: Method::GET,
        path,
        body: None,
        status,
    };
    let rows = vec![
        get(
            "a buyer may not download someone else's invoice",
            "other",
            format!("/api/orders/{refunded_order}/invoice"),
            StatusCode::NOT_FOUND,
        ),
        get(
            "a buyer may not list someone else's invoices and credit notes",
            "other",
            format!("/api/orders/{refunded_order}/invoices"),
            StatusCode::NOT_FOUND,
        ),
        get(
            "a buyer may not download someone else's credit note",
            "other",
            format!("/api/orders/{refunded_order}/credit-notes/{note_id}"),
            StatusCode::NOT_FOUND,
        ),
        get(
            "a credit note of another order is not found under the buyer's own order",
            "other",
            format!("/api/orders/{others_order}/credit-notes/{note_id}"),
            StatusCode::NOT_FOUND,
        ),
        get(
            "an invoice id is not a credit note",
            "owner",
            format!("/api/orders/{refunded_order}/credit-notes/{invoice_id}"),
            StatusCode::NOT_FOUND,
        ),
        get(
            "an unpaid order has no invoice to download",
            "owner",
            format!("/api/orders/{unpaid}/invoice"),
            StatusCode::NOT_FOUND,
        ),
        get(
            "nobody signed out gets an invoice",
            "none",
            format!("/api/orders/{refunded_order}/invoice"),
            StatusCode::UNAUTHORIZED,
        ),
        get(
            "a student may not list the school's invoices",
            "owner",
            "/api/admin/invoices".into(),
            StatusCode::FORBIDDEN,
        ),
        get(
            "a student may not download the period ZIP",
            "owner",
            format!("/api/admin/invoices/archive?from={today}&to={today}"),
            StatusCode::FORBIDDEN,
        ),
        get(
            "a student may not fetch a document by id through the admin path",
            "owner",
            format!("/api/admin/invoices/{invoice_id}/pdf"),
            StatusCode::FORBIDDEN,
        ),
        get(
            "a ZIP period ending before it starts is refused",
            "admin",
            format!("/api/admin/invoices/archive?from={today}&to=2000-01-01"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Row {
            sentence: "a refund of a fully credited order may not produce a second credit note",
            who: "owner",
            method: Method::POST,
            path: "/api/refunds".into(),
            body: Some(json!({"order_id": refunded_order, "reason": "again"})),
            status: StatusCode::CONFLICT,
        },
        Row {
            sentence: "a refund asking more than the invoice may not credit beyond it",
            who: "other",
            method: Method::POST,
            path: "/api/refunds".into(),
            body: Some(json!({"order_id": others_order, "reason": "more", "amount_cents": 4761})),
            status: StatusCode::CONFLICT,
        },
    ];
    for row in rows {
        let before = snapshot(&app).await;
        let token = match row.who {
            "owner" => Some(owner.token.as_str()),
            "other" => Some(other.token.as_str()),
            "admin" => Some(admin.token.as_str()),
            _ => None,
        };
        let (status, body) = app
            .call(row.method.clone(), &row.path, row.body.clone(), token)
            .await;
        assert_eq!(status, row.status, "{}: {body}", row.sentence);
        assert_eq!(
            snapshot(&app).await,
            before,
            "{}: something changed",
            row.sentence
        );
    }
}

#[tokio::test]
async fn twenty_parallel_approvals_of_one_refund_issue_one_credit_note() {
    let app = spawn_app_with(seller).await;
    let admin = app.admin().await;
    let buyer = app.student().await;
    let order_id = paid_course(&app, &admin, &buyer, 3000).await;
    let (status, refund) = app
        .post(
            "/api/refunds",
            json!({"order_id": order_id, "reason": "twice"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    let path = format!(
        "/api/admin/refunds/{}/approve",
        refund["id"].as_str().unwrap()
    );
    let answers = join_all((0..20).map(|_| app.post(&path, json!({}), Some(&admin.token)))).await;
    let ok = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert!(ok >= 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .all(|(s, _)| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "{answers:?}"
    );
    let snap = snapshot(&app).await;
    let notes: Vec<&Value> = snap["docs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d.as_str().unwrap().starts_with("credit_note"))
        .collect();
    assert_eq!(notes.len(), 1, "{snap}");
    assert!(notes[0].as_str().unwrap().ends_with(":3570"), "{snap}");
    assert_eq!(
        snap["counters"],
        json!([1, 1]),
        "one number taken in each series"
    );
}

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_an_issued_document() {
    let app = spawn_app_with(seller).await;
    let admin = app.admin().await;
    let buyer = app.student().await;
    paid_course(&app, &admin, &buyer, 1000).await;
    let before = snapshot(&app).await;
    for (sentence, sql) in [
        (
            "an issued invoice's amount may not be edited",
            "UPDATE invoices SET total_cents = 1",
        ),
        (
            "an issued invoice's number may not be reused",
            "UPDATE invoices SET number = 'X-1'",
        ),
        (
            "an issued invoice may not be deleted",
            "DELETE FROM invoices",
        ),
    ] {
        let result = app
            .state
            .db
            .write(move |conn| Ok::<_, AppError>(conn.execute(sql, [])?))
            .await;
        assert!(result.is_err(), "{sentence}: the statement went through");
        assert_eq!(snapshot(&app).await, before, "{sentence}");
    }
}
