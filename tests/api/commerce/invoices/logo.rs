//! The seller's logo (`[invoices] logo`) on invoice and credit-note PDFs: drawn as an image,
//! and the archived bytes unchanged after the logo is taken out of the configuration.

use super::{bytes, paid_course, refunded, seller};
use crate::support::spawn_app_with;

/// A 1×1 PNG.
const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0xFC, 0xCF, 0xC0, 0x50,
    0x0F, 0x00, 0x04, 0x85, 0x01, 0x80, 0x84, 0xA9, 0x8C, 0x21, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// Whether the PDF holds an image XObject.
fn has_image(pdf: &[u8]) -> bool {
    pdf.windows(b"/Subtype /Image".len())
        .any(|w| w == b"/Subtype /Image")
        || pdf
            .windows(b"/Subtype/Image".len())
            .any(|w| w == b"/Subtype/Image")
}

#[tokio::test]
async fn the_logo_is_an_image_on_invoices_and_credit_notes_and_archived_bytes_keep_it() {
    let kept = tempfile::tempdir().unwrap();
    let data = kept.path().join("data");
    let logo = kept.path().join("logo.png");
    std::fs::write(&logo, TINY_PNG).unwrap();
    let (first_dir, logo_path) = (data.clone(), logo.clone());
    let app = spawn_app_with(move |c| {
        seller(c);
        c.data_dir = first_dir;
        c.invoices.logo = Some(logo_path);
    })
    .await;
    let (admin, buyer) = (app.admin().await, app.student().await);
    let order = paid_course(&app, &admin, &buyer, 10000).await;
    let invoice_path = format!("/api/orders/{order}/invoice");
    let (_, kind, before) = bytes(&app, &buyer.token, &invoice_path).await;
    assert_eq!(kind, "application/pdf");
    assert!(has_image(&before), "the invoice has no image XObject");
    let back = paid_course(&app, &admin, &buyer, 3000).await;
    let refund = refunded(&app, &admin, &buyer, &back).await;
    let (_, docs) = super::documents(&app, &buyer, &back).await;
    let note_url = docs[1]["pdf_url"].as_str().unwrap().to_string();
    assert!(refund["id"].is_string());
    let (_, _, note) = bytes(&app, &buyer.token, &note_url).await;
    assert!(has_image(&note), "the credit note has no image XObject");
    let (admin_email, buyer_email) = (admin.email.clone(), buyer.email.clone());
    app.stop().await;

    // The logo leaves the configuration (and the file goes): archived PDFs do not change.
    std::fs::remove_file(&logo).unwrap();
    let second_dir = data.clone();
    let app = spawn_app_with(move |c| {
        seller(c);
        c.data_dir = second_dir;
    })
    .await;
    let admin = app.login(&admin_email, crate::support::PASSWORD).await;
    let buyer = app.login(&buyer_email, crate::support::PASSWORD).await;
    let (_, _, after) = bytes(&app, &buyer.token, &invoice_path).await;
    assert_eq!(after, before, "an archived invoice never changes");
    let (_, _, note_after) = bytes(&app, &buyer.token, &note_url).await;
    assert_eq!(note_after, note);
    let fresh = paid_course(&app, &admin, &buyer, 2000).await;
    let (_, _, plain) = bytes(&app, &buyer.token, &format!("/api/orders/{fresh}/invoice")).await;
    assert!(!has_image(&plain), "no logo configured, no image");
}
