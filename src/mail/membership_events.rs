//! Mail for membership events (welcome, receipt, payment failed, paused, cancelled), fed with
//! plain values so the mail module knows no membership types.

use super::events::money;
use super::render::{PhraseArg, phrase_with};
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

/// `note` says what the payment did beyond renewing (a `membership-note-*` phrase).
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
    let until = phrase_with("mail-date", &[("date", PhraseArg::Date(grace_until))]);
    draft(
        &PAYMENT_FAILED,
        ctx,
        m,
        &[("amount", amount.as_str()), ("grace_until", until.as_str())],
    )
}

pub fn paused(ctx: &MailContext, m: &MemberFacts<'_>) -> Draft {
    draft(&PAUSED, ctx, m, &[])
}

/// `when`: a `membership-when-*` phrase ("ends on July 1, 2026 (you cancelled it)", "was
/// cancelled").
pub fn cancelled(ctx: &MailContext, m: &MemberFacts<'_>, when: &str) -> Draft {
    draft(&CANCELLED, ctx, m, &[("when", when)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::render::phrase;

    fn ctx() -> MailContext {
        MailContext {
            store_name: "Académie".into(),
            public_url: "https://school.example".into(),
            return_instructions: String::new(),
            default_locale: "en".into(),
        }
    }

    const FACTS: MemberFacts<'static> = MemberFacts {
        name: "Ada",
        plan: "All access",
        price_cents: 1500,
        currency: "EUR",
        interval: "month",
    };

    #[test]
    fn the_end_of_a_cancelled_membership_is_told_in_the_recipients_language() {
        let when = phrase_with(
            "membership-when-ends-on",
            &[("date", PhraseArg::Date("2026-07-01T00:00:00Z"))],
        );
        let fr = cancelled(&ctx(), &FACTS, &when).in_locale("fr").render();
        assert!(fr.text.contains("prend fin le 1"), "{}", fr.text);
        assert!(fr.text.contains("juillet 2026"), "{}", fr.text);
        let en = cancelled(&ctx(), &FACTS, &when).render();
        assert!(en.text.contains("ends on July 1, 2026"), "{}", en.text);
        let gone = cancelled(&ctx(), &FACTS, &phrase("membership-when-cancelled"));
        assert!(gone.in_locale("fr").render().text.contains(": résilié."));
    }

    #[test]
    fn the_grace_date_and_the_paid_off_note_are_in_the_recipients_language() {
        let failed = payment_failed(&ctx(), &FACTS, 1500, "2026-12-20T10:00:00Z");
        let fr = failed.in_locale("fr").render();
        assert!(fr.text.contains("jusqu’au 20 décembre 2026"), "{}", fr.text);
        assert!(!fr.text.contains("2026-12-20"), "{}", fr.text);
        let note = phrase("membership-note-paid-off");
        let receipt = receipt(&ctx(), &FACTS, 1500, &note)
            .in_locale("fr")
            .render();
        assert!(
            receipt.text.contains("le cours est à vous pour de bon"),
            "{}",
            receipt.text
        );
    }
}
