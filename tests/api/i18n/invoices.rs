//! Invoices and credit notes in the buyer's language: chosen when the invoice is issued and
//! kept, so a reprint after the buyer changes language is the same document.

use reqwest::StatusCode;
use serde_json::json;

use crate::commerce::invoices::{
    assert_says, bytes, documents, paid_course, pdf_text, refunded, seller,
};
use crate::support::spawn_app_with;

#[tokio::test]
async fn a_french_buyers_invoice_and_credit_note_are_printed_in_french_and_stay_so() {
    let app = spawn_app_with(seller).await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let (status, _) = app
        .patch(
            "/api/users/me",
            json!({ "locale": "fr" }),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let order_id = paid_course(&app, &admin, &buyer, 123450).await;
    let path = format!("/api/orders/{order_id}/invoice");
    let (status, _, pdf) = bytes(&app, &buyer.token, &path).await;
    assert_eq!(status, StatusCode::OK);
    let text = pdf_text(&pdf);
    let today = app.state.now_text();
    let day = format!("{}/{}/{}", &today[8..10], &today[5..7], &today[..4]);
    assert_says(
        &text,
        &[
            "Facture",
            "N° de TVA : GB123456789",
            &format!("Date d'émission : {day}"),
            "Désignation",
            "Prix unitaire",
            "Total HT",
            "Total TTC",
            "1 234,50",
            "19 %",
            "Mode de paiement : Virement bancaire ou paiement au bureau",
        ],
    );
    for english in [
        "Invoice",
        "Net total",
        "Payment method",
        "Date of issue",
        "1234.50",
    ] {
        assert!(
            !text.contains(english),
            "{english:?} left in English:\n{text}"
        );
    }

    // The buyer switches to English: the legal document does not change.
    app.patch(
        "/api/users/me",
        json!({ "locale": "en" }),
        Some(&buyer.token),
    )
    .await;
    let (_, _, again) = bytes(&app, &buyer.token, &path).await;
    assert_eq!(again, pdf);

    // The credit note of a refund speaks the invoice's language.
    refunded(&app, &admin, &buyer, &order_id).await;
    let (_, docs) = documents(&app, &buyer, &order_id).await;
    let path = docs[1]["pdf_url"].as_str().unwrap().to_string();
    let (status, _, credit) = bytes(&app, &buyer.token, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_says(
        &pdf_text(&credit),
        &[
            "Avoir",
            "Rectifie la facture",
            "Motif :",
            "Total de l'avoir",
            "1 234,50",
        ],
    );
}
