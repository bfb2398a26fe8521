//! Mail for membership events (welcome, receipt, payment failed, paused, cancelled), fed with
//! plain values so the mail module knows no membership types.

use super::events::money;
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

pub const WELCOME: Template = template!("membership_welcome");
pub const RECEIPT: Template = template!("membership_receipt");
pub const PAYMENT_FAILED: Template = template!("membership_payment_failed");
pub const PAUSED: Template = template!("membership_paused");
pub const CANCELLED: Template = template!("membership_cancelled");

/// What every membership mail shows.
#[derive(Debug, Clone)]
pub struct MemberFacts<'a> {
    pub name: &'a str,
    pub plan: &'a str,
    pub price_cents: i64,
    pub currency: &'a str,
    /// `month` or `year`.
    pub interval: &'a str,
}

fn draft(
    t: &'static Template,
    ctx: &MailContext,
    m: &MemberFacts<'_>,
    extra: &[(&str, &str)],
) -> Draft {
    let url = ctx.link("/account/membership");
    let price = money(m.price_cents, m.currency);
    let mut vars = vec![
        ("name", m.name),
        ("plan", m.plan),
        ("price", price.as_str()),
        ("interval", m.interval),
        ("membership_url", url.as_str()),
    ];
    vars.extend_from_slice(extra);
    compose(t, ctx, &vars)
}

pub fn welcome(ctx: &MailContext, m: &MemberFacts<'_>) -> Draft {
    draft(&WELCOME, ctx, m, &[])
}

/// `note` says what the payment did beyond renewing ("The course is now yours.").
pub fn receipt(ctx: &MailContext, m: &MemberFacts<'_>, amount_cents: i64, note: &str) -> Draft {
    let amount = money(amount_cents, m.currency);
    draft(
        &RECEIPT,
        ctx,
        m,
        &[("amount", amount.as_str()), ("note", note)],
    )
}

/// With the date access ends unless the card is updated.
pub fn payment_failed(
    ctx: &MailContext,
    m: &MemberFacts<'_>,
    amount_cents: i64,
    grace_until: &str,
) -> Draft {
    let amount = money(amount_cents, m.currency);
    draft(
        &PAYMENT_FAILED,
        ctx,
        m,
        &[("amount", amount.as_str()), ("grace_until", grace_until)],
    )
}

pub fn paused(ctx: &MailContext, m: &MemberFacts<'_>) -> Draft {
    draft(&PAUSED, ctx, m, &[])
}

/// `when`: "ends on 2026-07-01 (you cancelled it)" or "was cancelled".
pub fn cancelled(ctx: &MailContext, m: &MemberFacts<'_>, when: &str) -> Draft {
    draft(&CANCELLED, ctx, m, &[("when", when)])
}
