//! Mail about refunds (request received with its decision, money sent back, request turned
//! down by staff), fed with plain values like `events`.

use super::events::money;
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

pub const REFUND_REQUESTED: Template = template!("refund_requested");
pub const REFUND_PROCESSED: Template = template!("refund_processed");
pub const REFUND_REJECTED: Template = template!("refund_rejected");

/// What every refund mail shows.
#[derive(Debug, Clone)]
pub struct RefundFacts<'a> {
    pub name: &'a str,
    pub order_id: &'a str,
    pub number: &'a str,
    pub amount_cents: i64,
    pub currency: &'a str,
}

/// The decision taken on a new request, as the buyer reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Approved at once; the money follows.
    Approved,
    /// Waits for staff to review it.
    Review,
    /// Waits for the goods to come back.
    ReturnFirst,
    /// Not eligible, with each reason.
    Rejected(Vec<String>),
}

fn refund(
    template: &'static Template,
    ctx: &MailContext,
    r: &RefundFacts<'_>,
    extra: &[(&str, &str)],
) -> Draft {
    let order_url = ctx.link(&format!("/orders/{}", r.order_id));
    let amount = money(r.amount_cents, r.currency);
    let mut vars = vec![
        ("name", r.name),
        ("number", r.number),
        ("amount", amount.as_str()),
        ("order_url", order_url.as_str()),
    ];
    vars.extend_from_slice(extra);
    compose(template, ctx, &vars)
}

/// Sent when a buyer asks for a refund, saying what was decided.
pub fn refund_requested(ctx: &MailContext, r: &RefundFacts<'_>, decision: &Decision) -> Draft {
    let text = match decision {
        Decision::Approved => phrase("refund-approved"),
        Decision::Review => phrase("refund-review"),
        Decision::ReturnFirst if ctx.return_instructions.trim().is_empty() => format!(
            "{} {}",
            phrase("refund-return-first"),
            phrase("refund-ask-where")
        ),
        Decision::ReturnFirst => format!(
            "{}\n\n{}",
            phrase("refund-return-first"),
            ctx.return_instructions.trim()
        ),
        Decision::Rejected(reasons) => {
            let mut text = phrase("refund-rejected");
            for reason in reasons {
                text.push_str("\n- ");
                text.push_str(reason);
            }
            text
        }
    };
    refund(&REFUND_REQUESTED, ctx, r, &[("decision", &text)])
}

/// Sent when the money has been paid back; `reason` is the request's reason.
pub fn refund_processed(ctx: &MailContext, r: &RefundFacts<'_>, reason: &str) -> Draft {
    refund(&REFUND_PROCESSED, ctx, r, &[("reason", reason)])
}

/// Sent when staff turn a request down, with their note.
pub fn refund_rejected(ctx: &MailContext, r: &RefundFacts<'_>, note: &str) -> Draft {
    refund(&REFUND_REJECTED, ctx, r, &[("note", note)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> MailContext {
        MailContext {
            store_name: "Ada's School".into(),
            public_url: "https://school.example".into(),
            return_instructions: String::new(),
            default_locale: "en".into(),
        }
    }

    const FACTS: RefundFacts<'static> = RefundFacts {
        name: "Grace",
        order_id: "o1",
        number: "SH-000042",
        amount_cents: 4900,
        currency: "USD",
    };

    #[test]
    fn a_return_mail_says_where_to_send_the_goods_or_how_to_ask() {
        let told = MailContext {
            return_instructions: "Post to: Lab 2, 1 School Lane".into(),
            ..ctx()
        };
        let mail = refund_requested(&told, &FACTS, &Decision::ReturnFirst).render();
        assert!(
            mail.text.contains("Post to: Lab 2, 1 School Lane"),
            "{}",
            mail.text
        );
        let untold = refund_requested(&ctx(), &FACTS, &Decision::ReturnFirst).render();
        assert!(
            untold.text.contains("Reply to this mail"),
            "{}",
            untold.text
        );
    }

    #[test]
    fn refund_mails_name_the_order_amount_and_link_to_it() {
        let ctx = ctx();
        let rejected = Decision::Rejected(vec!["too late".into(), "<certificate> issued".into()]);
        let mails = [
            refund_requested(&ctx, &FACTS, &Decision::Approved),
            refund_requested(&ctx, &FACTS, &Decision::Review),
            refund_requested(&ctx, &FACTS, &rejected),
            refund_processed(&ctx, &FACTS, "not for me"),
            refund_rejected(&ctx, &FACTS, "used too much"),
        ]
        .map(|draft| draft.render());
        for mail in &mails {
            for part in [&mail.subject, &mail.text, &mail.html] {
                assert!(!part.contains("{{"), "unfilled placeholder in {part}");
            }
            assert!(mail.subject.contains("SH-000042"), "{}", mail.subject);
            assert!(mail.text.contains("$49.00"), "{}", mail.text);
            assert!(mail.html.contains("https://school.example/orders/o1"));
        }
        assert!(mails[0].text.contains("approved"));
        assert!(mails[1].text.contains("waiting for review"));
        assert!(mails[2].text.contains("- too late\n- <certificate> issued"));
        assert!(mails[2].html.contains("&lt;certificate&gt; issued"));
        assert_eq!(mails[3].subject, "We refunded $49.00 for order SH-000042");
        assert!(mails[4].text.contains("used too much"));
    }
}
