//! A crash in the middle of payments (kill -9 of the real binary while 24 confirmations are
//! in flight): afterwards every paid order has exactly one invoice, every invoice a paid
//! order, the series has no gap, and the PDFs not yet archived are archived on demand.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use schoolhouse::http::AppError;
use serde_json::json;

use super::series::waiting;
use super::{bytes, counts, series};
use crate::support::{PASSWORD, client, spawn_app_with};

const BIN: &str = env!("CARGO_BIN_EXE_schoolhouse");

/// Paid orders without exactly one invoice, and invoices whose order is not paid.
async fn mismatches(app: &crate::support::TestApp) -> (i64, i64) {
    app.state
        .db
        .read(|conn| {
            let n = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
            Ok::<_, AppError>((
                n("SELECT COUNT(*) FROM orders o WHERE o.paid_at IS NOT NULL AND
                    (SELECT COUNT(*) FROM invoices i WHERE i.order_id = o.id AND i.kind = 'invoice') <> 1")?,
                n("SELECT COUNT(*) FROM invoices i JOIN orders o ON o.id = i.order_id
                    WHERE o.paid_at IS NULL")?,
            ))
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_kill_9_during_payments_leaves_one_invoice_per_paid_order_and_no_gap() {
    let kept = tempfile::tempdir().unwrap();
    let data = kept.path().join("data");
    let dir = data.clone();
    let app = spawn_app_with(move |c| c.data_dir = dir).await;
    let admin = app.admin().await;
    let pending = waiting(&app, &admin, 24).await;
    let admin_email = admin.email.clone();
    app.stop().await;

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--data-dir",
            data.to_str().unwrap(),
            "--listen",
            &listen,
        ])
        .env("SCHOOLHOUSE_AUTH__ARGON2__MEMORY_KIB", "64")
        .env("SCHOOLHOUSE_AUTH__ARGON2__ITERATIONS", "1")
        .env("SCHOOLHOUSE_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://{listen}");
    let http = client();
    let mut ready = false;
    for _ in 0..200 {
        if http
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == StatusCode::OK)
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready, "the binary did not become ready");

    let done = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (_, _, payment) in &pending {
        let (http, done, token) = (http.clone(), done.clone(), admin.token.clone());
        let url = format!("{base}/api/admin/payments/{payment}/confirm");
        tasks.push(tokio::spawn(async move {
            let answer = http
                .post(url)
                .bearer_auth(token)
                .json(&json!({}))
                .send()
                .await;
            if answer.is_ok_and(|r| r.status() == StatusCode::OK) {
                done.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    // Pull the plug once a few payments went through and the rest are in flight.
    for _ in 0..400 {
        if done.load(Ordering::SeqCst) >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    for task in tasks {
        let _ = task.await;
    }
    let answered = done.load(Ordering::SeqCst);

    let dir = data.clone();
    let app = spawn_app_with(move |c| c.data_dir = dir).await;
    let (invoices, _, _) = counts(&app).await;
    assert!(
        invoices as usize >= answered,
        "{invoices} invoices, {answered} confirmations answered"
    );
    assert_eq!(mismatches(&app).await, (0, 0));
    super::series::gap_free(&series(&app, "invoice").await, invoices as usize);

    // Every issued invoice can be downloaded, archived now if the crash came first.
    let admin = app.login(&admin_email, PASSWORD).await;
    for (_, order_id, _) in &pending {
        let (status, _, pdf) = bytes(
            &app,
            &admin.token,
            &format!("/api/orders/{order_id}/invoice"),
        )
        .await;
        assert!(
            status == StatusCode::OK || status == StatusCode::NOT_FOUND,
            "{status}"
        );
        if status == StatusCode::OK {
            assert!(pdf.starts_with(b"%PDF"));
        }
    }
    assert_eq!(counts(&app).await.2, invoices, "every invoice archived");

    // The series goes on where it stopped.
    for (_, _, payment) in &pending {
        app.post(
            &format!("/api/admin/payments/{payment}/confirm"),
            json!({}),
            Some(&admin.token),
        )
        .await;
    }
    assert_eq!(mismatches(&app).await, (0, 0));
    super::series::gap_free(&series(&app, "invoice").await, 24);
}
