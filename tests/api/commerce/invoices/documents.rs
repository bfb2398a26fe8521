//! One order's documents: the invoice issued at payment, the credit note of its refund, free
//! orders, the archive surviving a config change, the admin list and ZIP, and backups.

use std::io::Read;

use reqwest::StatusCode;

use super::{
    assert_says, bytes, counts, documents, paid_course, pdf_text, refunded, seller, series, year,
};
use crate::support::spawn_app_with;

#[tokio::test]
async fn a_paid_order_has_an_invoice_whose_pdf_says_who_what_and_how_much() {
    let app = spawn_app_with(seller).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let order_id = paid_course(&app, &admin, &buyer, 10000).await;
    let (status, docs) = documents(&app, &buyer, &order_id).await;
    assert_eq!(status, StatusCode::OK, "{docs}");
    let docs = docs.as_array().unwrap();
    assert_eq!(docs.len(), 1, "{docs:?}");
    let number = format!("INV-{}-000001", year(&app));
    assert_eq!(docs[0]["kind"], "invoice");
    assert_eq!(docs[0]["number"], number.as_str());
    assert_eq!(
        (
            docs[0]["net_cents"].as_i64(),
            docs[0]["tax_cents"].as_i64(),
            docs[0]["total_cents"].as_i64()
        ),
        (Some(10000), Some(1900), Some(11900))
    );

    let (status, kind, pdf) = bytes(
        &app,
        &buyer.token,
        &format!("/api/orders/{order_id}/invoice"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/pdf");
    let text = pdf_text(&pdf);
    assert_says(
        &text,
        &[
            "Invoice",
            &number,
            "Riverside School Ltd",
            "1 High Street",
            "VAT number: GB123456789",
            "Registered in England No. 01234567",
            &buyer.email,
            "Rust from scratch",
            "19 %",
            "100.00",
            "19.00",
            "Total",
            "119.00 USD",
            "Net total",
            "100.00 USD",
            "VAT total",
            "19.00 USD",
            "Payment method: Bank transfer or payment at the office",
            "Thank you for learning with us",
        ],
    );
    assert!(
        !text.contains("Reverse charge"),
        "no reverse charge without a VAT decision"
    );
    // The second download is the archived file, byte for byte.
    let (_, _, again) = bytes(
        &app,
        &buyer.token,
        &format!("/api/orders/{order_id}/invoice"),
    )
    .await;
    assert_eq!(again, pdf);
    assert_eq!(counts(&app).await, (1, 0, 1));
}

#[tokio::test]
async fn a_processed_refund_issues_a_credit_note_that_refers_to_the_invoice() {
    let app = spawn_app_with(seller).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let order_id = paid_course(&app, &admin, &buyer, 10000).await;
    let refund = refunded(&app, &admin, &buyer, &order_id).await;
    let (_, docs) = documents(&app, &buyer, &order_id).await;
    let docs = docs.as_array().unwrap();
    assert_eq!(docs.len(), 2, "{docs:?}");
    let (invoice, note) = (&docs[0], &docs[1]);
    let (inv_number, cn_number) = (
        format!("INV-{}-000001", year(&app)),
        format!("CN-{}-000001", year(&app)),
    );
    assert_eq!(note["kind"], "credit_note");
    assert_eq!(note["number"], cn_number.as_str());
    assert_eq!(note["invoice_id"], invoice["id"]);
    assert_eq!(note["refund_id"], refund["id"]);
    assert_eq!(note["total_cents"], 11900);
    assert_eq!(note["tax_cents"], 1900);

    let path = note["pdf_url"].as_str().unwrap();
    let (status, kind, pdf) = bytes(&app, &buyer.token, path).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/pdf"));
    assert_says(
        &pdf_text(&pdf),
        &[
            "Credit note",
            &cn_number,
            &format!("Corrects invoice: {inv_number}"),
            "Reason: changed my mind",
            "Total credited",
            "119.00 USD",
            "VAT total",
            "19.00 USD",
        ],
    );
    assert_eq!(series(&app, "credit_note").await, vec![1]);
}

#[tokio::test]
async fn a_free_order_is_invoiced_at_zero_and_its_cancellation_credited() {
    use schoolhouse::config::commerce::{ShippingMethod, ShippingRate};
    let app = spawn_app_with(|c| {
        seller(c);
        c.shipping.methods = vec![ShippingMethod {
            id: "pickup".into(),
            name: "Pick-up".into(),
            rate: ShippingRate::Flat { cents: 0 },
            countries: Vec::new(),
        }];
    })
    .await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let leaflet =
        crate::commerce::product(&app, &admin.id, "Leaflet", 0, "physical", Some(10)).await;
    crate::commerce::add(&app, &buyer.token, "product", &leaflet, 1).await;
    let order = crate::commerce::checkout(&app, &buyer.token).await;
    assert_eq!(order["status"], "paid", "{order}");
    let order_id = order["id"].as_str().unwrap().to_string();
    let (status, docs) = documents(&app, &buyer, &order_id).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(docs[0]["total_cents"], 0, "{docs}");
    let (_, _, pdf) = bytes(
        &app,
        &buyer.token,
        &format!("/api/orders/{order_id}/invoice"),
    )
    .await;
    assert_says(
        &pdf_text(&pdf),
        &["Leaflet", "Payment method: No payment due", "0.00 USD"],
    );
    let (status, cancelled) = app
        .delete(&format!("/api/orders/{order_id}"), Some(&buyer.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    let (_, docs) = documents(&app, &buyer, &order_id).await;
    assert_eq!(docs.as_array().unwrap().len(), 2, "{docs}");
    assert_eq!(docs[1]["kind"], "credit_note");
    assert_eq!(docs[1]["total_cents"], 0);
    let (_, _, pdf) = bytes(&app, &buyer.token, docs[1]["pdf_url"].as_str().unwrap()).await;
    assert_says(
        &pdf_text(&pdf),
        &["Credit note", "Leaflet", "Reason: cancelled by the buyer"],
    );
}

#[tokio::test]
async fn archived_pdfs_stay_byte_for_byte_after_the_seller_config_changes() {
    let kept = tempfile::tempdir().unwrap();
    let data = kept.path().join("data");
    let first_dir = data.clone();
    let app = spawn_app_with(move |c| {
        seller(c);
        c.data_dir = first_dir;
    })
    .await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let archived = paid_course(&app, &admin, &buyer, 10000).await;
    let (_, _, before) = bytes(
        &app,
        &buyer.token,
        &format!("/api/orders/{archived}/invoice"),
    )
    .await;
    // Issued but never downloaded before the change: its content is frozen too.
    let unread = paid_course(&app, &admin, &buyer, 5000).await;
    let (admin_email, buyer_email) = (admin.email.clone(), buyer.email.clone());
    app.stop().await;

    let second_dir = data.clone();
    let app = spawn_app_with(move |c| {
        seller(c);
        c.data_dir = second_dir;
        c.invoices.legal_name = "Renamed Holdings plc".into();
        c.invoices.vat_number = "GB999999999".into();
        c.invoices.number_format = "R{seq:04}".into();
        c.invoices.first_number = 500;
    })
    .await;
    let admin = app.login(&admin_email, crate::support::PASSWORD).await;
    let buyer = app.login(&buyer_email, crate::support::PASSWORD).await;
    let (_, _, after) = bytes(
        &app,
        &buyer.token,
        &format!("/api/orders/{archived}/invoice"),
    )
    .await;
    assert_eq!(after, before, "an archived invoice never changes");
    let (_, _, late) = bytes(&app, &buyer.token, &format!("/api/orders/{unread}/invoice")).await;
    let late = pdf_text(&late);
    assert_says(
        &late,
        &[
            "Riverside School Ltd",
            "GB123456789",
            &format!("INV-{}-000002", year(&app)),
        ],
    );
    assert!(!late.contains("Renamed"), "{late}");
    // New documents follow the new settings and continue the one series (first_number only
    // starts an empty series).
    let fresh = paid_course(&app, &admin, &buyer, 2000).await;
    let (_, docs) = documents(&app, &buyer, &fresh).await;
    assert_eq!(docs[0]["number"], "R0003");
    let (_, _, pdf) = bytes(&app, &buyer.token, &format!("/api/orders/{fresh}/invoice")).await;
    assert_says(&pdf_text(&pdf), &["Renamed Holdings plc", "GB999999999"]);
    assert_eq!(series(&app, "invoice").await, vec![1, 2, 3]);
}

#[tokio::test]
async fn staff_list_documents_by_kind_and_download_a_period_as_one_zip() {
    let app = spawn_app_with(seller).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let kept = paid_course(&app, &admin, &buyer, 10000).await;
    let back = paid_course(&app, &admin, &buyer, 3000).await;
    refunded(&app, &admin, &buyer, &back).await;
    let (status, list) = app
        .get("/api/admin/invoices?kind=invoice", Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 2);
    let (_, list) = app
        .get("/api/admin/invoices?kind=credit_note", Some(&admin.token))
        .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["order_id"], back.as_str());
    let (_, list) = app
        .get(
            &format!("/api/admin/invoices?order_id={kept}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(list["total"], 1);
    let (status, problem) = app
        .get("/api/admin/invoices?kind=receipt", Some(&admin.token))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");

    let today = &app.state.now_text()[..10];
    let path = format!("/api/admin/invoices/archive?from={today}&to={today}");
    let (status, kind, zip) = bytes(&app, &admin.token, &path).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/zip"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    names.sort();
    let y = year(&app);
    assert_eq!(
        names,
        vec![
            format!("credit_note/CN-{y}-000001.pdf"),
            "index.csv".to_string(),
            format!("invoice/INV-{y}-000001.pdf"),
            format!("invoice/INV-{y}-000002.pdf"),
        ]
    );
    let mut archived = Vec::new();
    zip.by_name(&format!("invoice/INV-{y}-000001.pdf"))
        .unwrap()
        .read_to_end(&mut archived)
        .unwrap();
    let (_, _, served) = bytes(&app, &buyer.token, &format!("/api/orders/{kept}/invoice")).await;
    assert_eq!(archived, served, "the ZIP holds the archived files");
    let mut index = String::new();
    zip.by_name("index.csv")
        .unwrap()
        .read_to_string(&mut index)
        .unwrap();
    assert_eq!(index.lines().count(), 4, "{index}");
    let (status, _) = app
        .get(
            "/api/admin/invoices/archive?from=2026-13-01&to=2026-12-31",
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_backup_holds_the_archived_pdfs_and_verifies_them() {
    let app = spawn_app_with(seller).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let order_id = paid_course(&app, &admin, &buyer, 10000).await;
    let (_, _, pdf) = bytes(
        &app,
        &buyer.token,
        &format!("/api/orders/{order_id}/invoice"),
    )
    .await;
    let config = app.state.config.as_ref().clone();
    let out = app.dir.path().join("b.zip");
    let now = app.state.now();
    let (entry, report) = tokio::task::spawn_blocking(move || {
        schoolhouse::ops::backup::create_verified(&config, Some(&out), now)
    })
    .await
    .unwrap()
    .unwrap();
    assert!(report.ok(), "{:?}", report.lines());
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&entry.path).unwrap()).unwrap();
    let name = zip
        .file_names()
        .map(|n| n.unwrap().to_string())
        .find(|n| n.starts_with("invoices/") && n.ends_with(".pdf"))
        .expect("the archive holds the invoice PDF");
    let mut archived = Vec::new();
    zip.by_name(&name)
        .unwrap()
        .read_to_end(&mut archived)
        .unwrap();
    assert_eq!(archived, pdf);
}
