//! Mail for shop and learning events (orders, course completion, grading): templates and
//! their render functions, fed with plain values so the mail module knows no domain types.

use super::render::phrase;
use super::templates::{Draft, MailContext, Template, compose};

/// A mail whose words are the catalogues' `mail-<name>` message.
macro_rules! template {
    ($name:literal) => {
        Template {
            name: $name,
            sensitive: false,
        }
    };
}

pub const ORDER_RECEIVED: Template = template!("order_received");
pub const ORDER_PAID: Template = template!("order_paid");
pub const ORDER_SHIPPED: Template = template!("order_shipped");
pub const ORDER_CANCELLED: Template = template!("order_cancelled");
pub const MANUAL_HOLD_LAPSING: Template = template!("manual_hold_lapsing");
pub const PAYMENT_REVERSED: Template = template!("payment_reversed");
pub const COURSE_COMPLETED: Template = template!("course_completed");
pub const ASSIGNMENT_GRADED: Template = template!("assignment_graded");

/// What every order mail shows.
#[derive(Debug, Clone)]
pub struct OrderFacts<'a> {
    pub name: &'a str,
    pub order_id: &'a str,
    pub number: &'a str,
    /// One line per item, e.g. `2 × Mug — 24.00 EUR`.
    pub items: &'a str,
    pub total_cents: i64,
    pub currency: &'a str,
}

/// An amount in a currency's minor units, written in the recipient's locale when the mail
/// is rendered (`€12.34`, `12,34 €`, `¥1,234`).
pub fn money(minor: i64, currency: &str) -> String {
    super::render::money(minor, currency)
}

fn order(
    template: &'static Template,
    ctx: &MailContext,
    o: &OrderFacts<'_>,
    extra: &[(&str, &str)],
) -> Draft {
    let order_url = ctx.link(&format!("/orders/{}", o.order_id));
    let total = money(o.total_cents, o.currency);
    let mut vars = vec![
        ("name", o.name),
        ("number", o.number),
        ("items", o.items),
        ("total", total.as_str()),
        ("order_url", order_url.as_str()),
    ];
    vars.extend_from_slice(extra);
    compose(template, ctx, &vars)
}

/// Sent when an order is placed and waits for payment.
pub fn order_received(ctx: &MailContext, o: &OrderFacts<'_>) -> Draft {
    order(&ORDER_RECEIVED, ctx, o, &[])
}

/// Sent when an order is paid; `ships` says whether physical goods follow by post.
pub fn order_paid(ctx: &MailContext, o: &OrderFacts<'_>, ships: bool) -> Draft {
    let ships = if ships { "yes" } else { "no" };
    order(&ORDER_PAID, ctx, o, &[("ships", ships)])
}

/// Sent when an order is marked shipped, with its tracking number.
pub fn order_shipped(ctx: &MailContext, o: &OrderFacts<'_>, tracking: Option<&str>) -> Draft {
    let tracking = tracking.map_or_else(|| phrase("mail-not-given"), str::to_string);
    order(&ORDER_SHIPPED, ctx, o, &[("tracking_number", &tracking)])
}

/// Sent when an order is cancelled, with the reason recorded for it.
pub fn order_cancelled(ctx: &MailContext, o: &OrderFacts<'_>, reason: &str) -> Draft {
    let reason = if reason.trim().is_empty() {
        phrase("mail-not-given")
    } else {
        reason.to_string()
    };
    order(&ORDER_CANCELLED, ctx, o, &[("reason", &reason)])
}

/// Sent to each administrator when a manual-payment order's hold lapses within a day.
pub fn manual_hold_lapsing(
    ctx: &MailContext,
    order_id: &str,
    number: &str,
    total: &str,
    lapses_at: &str,
) -> Draft {
    let order_url = ctx.link(&format!("/admin/orders/{order_id}"));
    compose(
        &MANUAL_HOLD_LAPSING,
        ctx,
        &[
            ("number", number),
            ("total", total),
            ("lapses_at", lapses_at),
            ("order_url", &order_url),
        ],
    )
}

/// Sent to each administrator when a gateway reverses a payment (chargeback).
pub fn payment_reversed(
    ctx: &MailContext,
    order_id: &str,
    number: &str,
    amount: &str,
    gateway: &str,
) -> Draft {
    let order_url = ctx.link(&format!("/admin/orders/{order_id}"));
    compose(
        &PAYMENT_REVERSED,
        ctx,
        &[
            ("number", number),
            ("amount", amount),
            ("gateway", gateway),
            ("order_url", &order_url),
        ],
    )
}

/// Sent when a learner completes a course: where to get the certificate (the download needs
/// a login, so the link is the learner's course page), how to verify it, and a review link.
pub fn course_completed(
    ctx: &MailContext,
    name: &str,
    course_id: &str,
    course_title: &str,
    serial: &str,
) -> Draft {
    let my_courses_url = ctx.link("/my-courses");
    let verify_url = ctx.link(&format!("/certificates/{serial}"));
    let review_url = ctx.link(&format!("/courses/{course_id}#reviews"));
    compose(
        &COURSE_COMPLETED,
        ctx,
        &[
            ("name", name),
            ("course_title", course_title),
            ("serial", serial),
            ("my_courses_url", &my_courses_url),
            ("verify_url", &verify_url),
            ("review_url", &review_url),
        ],
    )
}

/// What the graded-assignment mail shows.
#[derive(Debug, Clone)]
pub struct Grade<'a> {
    pub name: &'a str,
    pub course_id: &'a str,
    pub course_title: &'a str,
    pub lesson_id: &'a str,
    pub lesson_title: &'a str,
    pub score: i64,
    pub max_score: i64,
    pub passed: bool,
    pub feedback: &'a str,
}

/// Sent to the learner when an instructor grades an assignment.
pub fn assignment_graded(ctx: &MailContext, g: &Grade<'_>) -> Draft {
    let lesson_url = ctx.link(&format!("/courses/{}/lessons/{}", g.course_id, g.lesson_id));
    let (score, max_score) = (g.score.to_string(), g.max_score.to_string());
    let passed = if g.passed { "yes" } else { "no" };
    let feedback = if g.feedback.trim().is_empty() {
        phrase("mail-no-feedback")
    } else {
        g.feedback.to_string()
    };
    compose(
        &ASSIGNMENT_GRADED,
        ctx,
        &[
            ("name", g.name),
            ("course_title", g.course_title),
            ("lesson_title", g.lesson_title),
            ("score", &score),
            ("max_score", &max_score),
            ("passed", passed),
            ("feedback", &feedback),
            ("lesson_url", &lesson_url),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::templates::Rendered;

    fn ctx() -> MailContext {
        MailContext {
            store_name: "Ada's School".into(),
            public_url: "https://school.example".into(),
            return_instructions: String::new(),
            default_locale: "en".into(),
        }
    }

    fn facts() -> OrderFacts<'static> {
        OrderFacts {
            name: "Grace",
            order_id: "o1",
            number: "SH-000042",
            items: "1 × <Mug> — €12.00",
            total_cents: 1200,
            currency: "EUR",
        }
    }

    fn filled(mail: &Rendered) {
        for part in [&mail.subject, &mail.text, &mail.html] {
            assert!(!part.contains("{{"), "unfilled placeholder in {part}");
        }
    }

    #[test]
    fn money_is_shown_in_major_units_with_the_currency() {
        let shown = |v: String| crate::mail::render::resolve("en", &v);
        assert_eq!(shown(money(1234, "EUR")), "€12.34");
        assert_eq!(shown(money(5, "USD")), "$0.05");
        assert_eq!(shown(money(-250, "EUR")), "-€2.50");
    }

    #[test]
    fn order_mails_name_the_order_and_link_to_it() {
        let ctx = ctx();
        let mails = [
            order_received(&ctx, &facts()),
            order_paid(&ctx, &facts(), true),
            order_shipped(&ctx, &facts(), Some("TRACK-1")),
            order_cancelled(&ctx, &facts(), "payment not received"),
        ]
        .map(|draft| draft.render());
        for mail in &mails {
            filled(mail);
            assert!(mail.subject.contains("SH-000042"), "{}", mail.subject);
            assert!(mail.text.contains("https://school.example/orders/o1"));
            assert!(mail.html.contains("https://school.example/orders/o1"));
        }
        assert!(mails[0].text.contains("€12.00"), "{}", mails[0].text);
        assert!(mails[0].html.contains("&lt;Mug&gt;"));
        assert!(mails[2].text.contains("TRACK-1"));
        assert!(mails[3].text.contains("payment not received"));
    }

    #[test]
    fn completion_mail_links_to_my_courses_the_verify_page_and_reviews() {
        let mail = course_completed(&ctx(), "Grace", "c1", "Rust 101", "ABCD-1234").render();
        filled(&mail);
        assert_eq!(mail.subject, "You completed Rust 101");
        for link in [
            "https://school.example/my-courses",
            "https://school.example/certificates/ABCD-1234",
            "https://school.example/courses/c1#reviews",
        ] {
            assert!(mail.text.contains(link), "{link}");
            assert!(mail.html.contains(link), "{link}");
        }
    }

    #[test]
    fn graded_mail_shows_the_grade_and_feedback() {
        let grade = Grade {
            name: "Grace",
            course_id: "c1",
            course_title: "Rust 101",
            lesson_id: "l1",
            lesson_title: "Essay",
            score: 7,
            max_score: 10,
            passed: false,
            feedback: "Good start",
        };
        let mail = assignment_graded(&ctx(), &grade).render();
        filled(&mail);
        assert!(mail.text.contains("7 / 10 (not passed yet)"));
        assert!(mail.text.contains("Good start"));
        assert!(
            mail.text
                .contains("https://school.example/courses/c1/lessons/l1")
        );
    }
}
