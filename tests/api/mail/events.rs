//! Mail for shop and learning events: each event writes its mail to the outbox in the same
//! transaction, addressed to the right person, with a subject and links into the web UI.

use reqwest::StatusCode;
use schoolhouse::http::AppError;
use serde_json::json;

use crate::commerce::{add, checkout, product};
use crate::learning::{complete, course, enroll, instructor, lesson, spec};
use crate::support::{TestApp, assert_problem, spawn_app};

/// One queued mail as the outbox holds it.
#[derive(Debug)]
struct Mail {
    template: String,
    subject: String,
    text: String,
    html: String,
}

/// Every outbox mail addressed to `to`, oldest first.
async fn outbox(app: &TestApp, to: &str) -> Vec<Mail> {
    app.mails_to(to)
        .await
        .into_iter()
        .map(|(template, content)| Mail {
            template,
            subject: content.subject,
            text: content.text,
            html: content.html,
        })
        .collect()
}

/// The templates of the mails sent to `to`, in order.
async fn templates(app: &TestApp, to: &str) -> Vec<String> {
    outbox(app, to)
        .await
        .into_iter()
        .map(|m| m.template)
        .collect()
}

async fn only(app: &TestApp, to: &str, template: &str) -> Mail {
    let mut mails: Vec<Mail> = outbox(app, to)
        .await
        .into_iter()
        .filter(|m| m.template == template)
        .collect();
    assert_eq!(
        mails.len(),
        1,
        "expected one {template} mail to {to}: {mails:?}"
    );
    mails.remove(0)
}

fn links_to(mail: &Mail, url: &str) {
    assert!(mail.text.contains(url), "{url} missing from {}", mail.text);
    assert!(mail.html.contains(url), "{url} missing from {}", mail.html);
}

/// A student's placed (unpaid) order for one physical product; returns (order id, number).
async fn placed_order(app: &TestApp, token: &str) -> (String, String) {
    let vendor = app.admin().await;
    let mug = product(app, &vendor.id, "Enamel Mug", 1500, "physical", Some(5)).await;
    add(app, token, "product", &mug, 2).await;
    let order = checkout(app, token).await;
    (
        order["id"].as_str().unwrap().to_string(),
        order["number"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn placing_an_order_mails_the_buyer_that_it_was_received() {
    let app = spawn_app().await;
    let student = app.student().await;
    let (id, number) = placed_order(&app, &student.token).await;

    let mail = only(&app, &student.email, "order_received").await;
    assert_eq!(mail.subject, format!("We received your order {number}"));
    assert!(mail.text.contains("2 × Enamel Mug"), "{}", mail.text);
    assert!(
        mail.text.starts_with("Hello Test student,"),
        "{}",
        mail.text
    );
    links_to(
        &mail,
        &format!("{}/orders/{id}", app.state.config.public_url()),
    );
}

#[tokio::test]
async fn paying_and_shipping_an_order_mail_the_buyer_with_the_tracking_number() {
    let app = spawn_app().await;
    let student = app.student().await;
    let (id, number) = placed_order(&app, &student.token).await;
    let admin = app.admin().await;
    let status_url = format!("/api/orders/{id}/status");

    let placed = json!({ "id": id });
    crate::commerce::pay_manually(&app, &student.token, &admin.token, &placed).await;
    let paid = only(&app, &student.email, "order_paid").await;
    assert_eq!(
        paid.subject,
        format!("Order {number} is paid and confirmed")
    );
    assert!(paid.text.contains("will write again when it ships"));

    let (status, body) = app
        .put(
            &status_url,
            json!({ "status": "shipped", "tracking_number": "TRK-4711" }),
            Some(&admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let shipped = only(&app, &student.email, "order_shipped").await;
    assert_eq!(shipped.subject, format!("Order {number} has shipped"));
    assert!(shipped.text.contains("Tracking number: TRK-4711"));
    links_to(
        &shipped,
        &format!("{}/orders/{id}", app.state.config.public_url()),
    );
}

#[tokio::test]
async fn a_refused_status_change_sends_no_mail() {
    let app = spawn_app().await;
    let student = app.student().await;
    let (id, _) = placed_order(&app, &student.token).await;
    let admin = app.admin().await;

    let (status, body) = app
        .put(
            &format!("/api/orders/{id}/status"),
            json!({ "status": "shipped", "tracking_number": "TRK-1" }),
            Some(&admin.token),
        )
        .await;
    assert_problem(status, &body, StatusCode::CONFLICT);
    assert_eq!(
        templates(&app, &student.email).await,
        ["welcome", "order_received"]
    );
}

#[tokio::test]
async fn cancelling_an_order_mails_the_buyer_the_reason() {
    let app = spawn_app().await;
    let student = app.student().await;
    let (id, number) = placed_order(&app, &student.token).await;

    let (status, body) = app
        .delete(&format!("/api/orders/{id}"), Some(&student.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mail = only(&app, &student.email, "order_cancelled").await;
    assert_eq!(mail.subject, format!("Order {number} was cancelled"));
    assert!(
        mail.text.contains("Reason: cancelled by the buyer"),
        "{}",
        mail.text
    );
}

#[tokio::test]
async fn in_a_french_school_the_cancellation_reason_is_french_in_the_mail_and_a_message_in_the_history()
 {
    let app = crate::support::spawn_app_with(|c| c.site.default_locale = "fr".into()).await;
    let student = app.student().await;
    let (id, _) = placed_order(&app, &student.token).await;

    let (status, body) = app
        .delete(&format!("/api/orders/{id}"), Some(&student.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mail = only(&app, &student.email, "order_cancelled").await;
    assert!(
        mail.text.contains("annulée par l’acheteur"),
        "{}",
        mail.text
    );
    assert!(!mail.text.contains("cancelled by"), "{}", mail.text);
    let (_, order) = app
        .get(&format!("/api/orders/{id}"), Some(&student.token))
        .await;
    let notes: Vec<&str> = order["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["note"].as_str())
        .collect();
    assert!(notes.contains(&"@cancelled-by-buyer"), "{order}");
}

#[tokio::test]
async fn a_free_order_is_confirmed_by_one_paid_mail() {
    let app = spawn_app().await;
    let student = app.student().await;
    let vendor = app.admin().await;
    let guide = product(&app, &vendor.id, "Free Guide", 0, "digital", None).await;
    add(&app, &student.token, "product", &guide, 1).await;
    let (status, order) = app
        .post(
            "/api/orders",
            json!({ "billing_country": "GB" }),
            Some(&student.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(
        templates(&app, &student.email).await,
        ["welcome", "order_paid"]
    );
    let paid = only(&app, &student.email, "order_paid").await;
    assert!(paid.text.contains("downloads are ready"));
}

#[tokio::test]
async fn completing_a_course_mails_certificate_verify_and_review_links() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    let only_lesson = lesson(&app, &course_id, spec("reading")).await;
    let student = app.student().await;
    enroll(&app, &course_id, &student).await;
    assert!(
        !templates(&app, &student.email)
            .await
            .contains(&"course_completed".into())
    );

    complete(&app, &course_id, &only_lesson, &student).await;
    let mail = only(&app, &student.email, "course_completed").await;
    assert_eq!(mail.subject, "You completed Sourdough Basics");
    let serial = certificate_serial(&app, &student.id).await;
    let base = app.state.config.public_url();
    links_to(&mail, &format!("{base}/my-courses"));
    links_to(&mail, &format!("{base}/certificates/{serial}"));
    links_to(&mail, &format!("{base}/courses/{course_id}#reviews"));
    assert!(
        !mail.text.contains("/api/courses/"),
        "the download API needs a login"
    );
}

async fn certificate_serial(app: &TestApp, user_id: &str) -> String {
    let user_id = user_id.to_string();
    app.state
        .db
        .read(move |conn| {
            Ok::<_, AppError>(conn.query_row(
                "SELECT serial FROM certificates WHERE user_id = ?1",
                [user_id],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn grading_an_assignment_mails_the_learner_the_grade_and_feedback() {
    let app = spawn_app().await;
    let teacher = instructor(&app).await;
    let course_id = course(&app, &teacher.id, 0, "published").await;
    let mut task = spec("assignment");
    task.max_score = Some(10);
    task.pass_score = Some(8);
    let task = lesson(&app, &course_id, task).await;
    let student = app.student().await;
    enroll(&app, &course_id, &student).await;
    let (status, submission) = app
        .post(
            &format!("/api/lessons/{task}/submissions"),
            json!({ "text": "my first loaf" }),
            Some(&student.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{submission}");
    assert!(
        !templates(&app, &student.email)
            .await
            .contains(&"assignment_graded".into())
    );

    let (status, body) = app
        .put(
            &format!(
                "/api/submissions/{}/grade",
                submission["id"].as_str().unwrap()
            ),
            json!({ "score": 6, "feedback": "Underproofed <crumb>" }),
            Some(&teacher.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mail = only(&app, &student.email, "assignment_graded").await;
    assert_eq!(mail.subject, "Your assignment A lesson was graded");
    assert!(
        mail.text.contains("Grade: 6 / 10 (not passed yet)"),
        "{}",
        mail.text
    );
    assert!(mail.text.contains("Underproofed <crumb>"));
    assert!(mail.html.contains("Underproofed &lt;crumb&gt;"));
    links_to(
        &mail,
        &format!(
            "{}/courses/{course_id}/lessons/{task}",
            app.state.config.public_url()
        ),
    );
    assert!(
        !templates(&app, &teacher.email)
            .await
            .contains(&"assignment_graded".into())
    );
}
