//! Mail about refunds (request received with its decision, money sent back, request turned
//! down by staff), fed with plain values like `events`.

use super::events::money;
use super::templates::{Draft, MailContext, Template, compose};

macro_rules! template {
    ($name:literal, $subject:literal) => {
        Template {
            name: $name,
            subject: $subject,
            text: include_str!(concat!("templates/", $name, ".txt")),
            html: include_str!(concat!("templates/", $name, ".html")),
            sensitive: false,
        }
    };
}

pub const REFUND_REQUESTED: Template = template!(
    "refund_requested",
    "Your refund request for order {{number}}"
);
pub const REFUND_PROCESSED: Template = template!(
    "refund_processed",
    "We refunded {{amount}} for order {{number}}"
);
pub const REFUND_REJECTED: Template = template!(
    "refund_rejected",
    "Your refund request for order {{number}} was not approved"
);

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
        Decision::Approved => {
            "Your request is approved: the money is on its way back to you.".to_string()
        }
        Decision::Review => {
            "Your request is waiting for review by our staff; we will write again once it is decided."
                .to_string()
        }
        Decision::ReturnFirst if ctx.return_instructions.trim().is_empty() => {
            "Please send the items back to us; the refund follows once they have arrived. \
             Reply to this mail to ask where to send them."
                .to_string()
        }
        Decision::ReturnFirst => format!(
            "Please send the items back to us; the refund follows once they have arrived.\n\n{}",
            ctx.return_instructions.trim()
        ),
        Decision::Rejected(reasons) => {
            let mut text = String::from("Unfortunately the request cannot be granted:");
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
            assert!(mail.text.contains("49.00 USD"), "{}", mail.text);
            assert!(mail.html.contains("https://school.example/orders/o1"));
        }
        assert!(mails[0].text.contains("approved"));
        assert!(mails[1].text.contains("waiting for review"));
        assert!(mails[2].text.contains("- too late\n- <certificate> issued"));
        assert!(mails[2].html.contains("&lt;certificate&gt; issued"));
        assert_eq!(
            mails[3].subject,
            "We refunded 49.00 USD for order SH-000042"
        );
        assert!(mails[4].text.contains("used too much"));
    }
}
