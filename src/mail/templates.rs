//! Mail templates: each a message of the Fluent catalogues (`mail-<name>`, with `.subject`
//! and `.html`), rendered in the recipient's locale when the mail is sent; the plain-text
//! body is made from the HTML one, and the HTML is wrapped in one shared layout.

use super::{events, refund_events, render};
use crate::config::Config;
use crate::i18n::{self, Args};

/// One kind of mail. Add a new one with a `mail-<name>` message in every
/// `assets/locales/*/server.ftl`, a `const` and its place in [`ALL`].
#[derive(Debug)]
pub struct Template {
    pub name: &'static str,
    /// The body carries a secret (a one-time link): cleared from the outbox once sent.
    pub sensitive: bool,
}

pub const WELCOME: Template = Template {
    name: "welcome",
    sensitive: false,
};

pub const PASSWORD_RESET: Template = Template {
    name: "password_reset",
    sensitive: true,
};

const LAYOUT: &str = include_str!("templates/layout.html");

/// What every template may use: `store_name` and `public_url`; and the locale of mail to
/// an address without an account, or whose account chose none.
#[derive(Debug, Clone)]
pub struct MailContext {
    pub store_name: String,
    pub public_url: String,
    /// `refunds.return_instructions`: where goods go back to.
    pub return_instructions: String,
    /// `site.default_locale`.
    pub default_locale: String,
}

impl MailContext {
    pub fn from_config(config: &Config) -> MailContext {
        MailContext {
            store_name: config.store.name.clone(),
            public_url: config.public_url(),
            return_instructions: config.refunds.return_instructions.clone(),
            default_locale: config.site.default_locale.clone(),
        }
    }

    /// An absolute link into the web UI, e.g. `link("/reset-password?token=..")`.
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.public_url)
    }
}

/// Every template, so a queued mail's is found again by its name.
pub const ALL: [&Template; 18] = [
    &WELCOME,
    &PASSWORD_RESET,
    &events::ORDER_RECEIVED,
    &events::ORDER_PAID,
    &events::ORDER_SHIPPED,
    &events::ORDER_CANCELLED,
    &events::MANUAL_HOLD_LAPSING,
    &events::PAYMENT_REVERSED,
    &events::COURSE_COMPLETED,
    &events::ASSIGNMENT_GRADED,
    &refund_events::REFUND_REQUESTED,
    &refund_events::REFUND_PROCESSED,
    &refund_events::REFUND_REJECTED,
    &super::membership_events::WELCOME,
    &super::membership_events::RECEIPT,
    &super::membership_events::PAYMENT_FAILED,
    &super::membership_events::PAUSED,
    &super::membership_events::CANCELLED,
];

/// Placeholders given to Fluent as numbers, so plural rules and digits apply.
const NUMERIC: [&str; 2] = ["minutes", "count"];

/// The stored pair that names the locale a draft is rendered in.
const LOCALE_VAR: &str = "_locale";

/// A filled-in template, as it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A mail to queue: its template, the values of its placeholders (the context's included)
/// and its locale. The outbox keeps these and the mail worker renders the bodies when it
/// sends, so the write transaction that queues a mail only stores a few short values.
#[derive(Debug, Clone)]
pub struct Draft {
    template: &'static Template,
    vars: Vec<(String, String)>,
}

/// The draft of `template` with `vars` plus the context's values, in the school's locale
/// until [`Draft::in_locale`] names the recipient's.
pub fn compose(template: &'static Template, ctx: &MailContext, vars: &[(&str, &str)]) -> Draft {
    let mut all = Vec::with_capacity(vars.len() + 3);
    all.push((LOCALE_VAR.to_string(), ctx.default_locale.clone()));
    all.push(("store_name".to_string(), ctx.store_name.clone()));
    all.push(("public_url".to_string(), ctx.public_url.clone()));
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Draft {
        template,
        vars: all,
    }
}

impl Draft {
    pub fn template_name(&self) -> &'static str {
        self.template.name
    }

    pub fn sensitive(&self) -> bool {
        self.template.sensitive
    }

    /// The locale the mail is written in (an available one; else English).
    pub fn locale(&self) -> &str {
        let code = self
            .vars
            .iter()
            .find(|(k, _)| k == LOCALE_VAR)
            .map_or(i18n::SOURCE_LOCALE, |(_, v)| v.as_str());
        i18n::canonical(code).unwrap_or(i18n::SOURCE_LOCALE)
    }

    /// The same mail in `locale` (the recipient's choice).
    pub fn in_locale(mut self, locale: &str) -> Draft {
        self.vars.retain(|(k, _)| k != LOCALE_VAR);
        self.vars
            .insert(0, (LOCALE_VAR.to_string(), locale.to_string()));
        self
    }

    /// The values as the outbox stores them: a JSON array of `[name, value]` pairs.
    pub fn vars_json(&self) -> String {
        serde_json::to_string(&self.vars).unwrap_or_else(|_| "[]".into())
    }

    /// The draft the outbox holds under `template` with `vars_json`.
    pub fn from_stored(template: &str, vars_json: &str) -> Result<Draft, String> {
        let template = ALL
            .into_iter()
            .find(|t| t.name == template)
            .ok_or_else(|| format!("no mail template is named {template:?}"))?;
        let vars = serde_json::from_str(vars_json)
            .map_err(|e| format!("the stored values of a {} mail: {e}", template.name))?;
        Ok(Draft { template, vars })
    }

    /// The catalogue's arguments: values with their deferred parts resolved in the locale,
    /// passed through `encode` (HTML escaping for the body).
    fn args(&self, encode: impl Fn(&str) -> String) -> Args {
        let locale = self.locale();
        let mut args = Args::new();
        for (name, value) in self.vars.iter().filter(|(k, _)| k != LOCALE_VAR) {
            match value.parse::<i64>() {
                Ok(n) if NUMERIC.contains(&name.as_str()) => args = args.number(name, n),
                _ => args = args.text(name, encode(&render::resolve(locale, value))),
            }
        }
        args
    }

    /// The subject line: placeholders filled, control characters (line breaks) replaced.
    pub fn subject(&self) -> String {
        let key = format!("mail-{}.subject", self.template.name);
        i18n::t(self.locale(), &key, &self.args(|v| v.to_string()))
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    }

    /// Fills the template in its locale; values are HTML-escaped in the HTML body.
    pub fn render(&self) -> Rendered {
        let locale = self.locale();
        let subject = self.subject();
        let key = format!("mail-{}.html", self.template.name);
        let body = i18n::t(locale, &key, &self.args(escape_html));
        let page_vars = [
            ("store_name", self.value("store_name")),
            ("public_url", self.value("public_url")),
            ("subject", subject.as_str()),
            ("lang", locale),
            ("dir", i18n::dir(locale)),
        ];
        let html =
            fill(LAYOUT, &page_vars, escape_html).replace("{{content}}", &render::styled(&body));
        Rendered {
            text: render::html_to_text(&body),
            html,
            subject,
        }
    }

    fn value(&self, name: &str) -> &str {
        self.vars
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

fn fill(text: &str, vars: &[(&str, &str)], encode: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = find_pair(rest, b"{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = find_pair(after, b"}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let key = &after[..end];
        match vars.iter().rev().find(|(k, _)| *k == key) {
            Some((_, value)) => out.push_str(&encode(value)),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Where `pair` first occurs in `text`: `str::find` sets up a substring searcher on every
/// call, and a plain scan of these short templates is cheaper.
fn find_pair(text: &str, pair: &[u8; 2]) -> Option<usize> {
    text.as_bytes().windows(2).position(|w| w == pair)
}

pub fn escape_html(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The welcome mail sent when an account is created.
pub fn welcome(ctx: &MailContext, name: &str, email: &str) -> Draft {
    let login_url = ctx.link("/login");
    compose(
        &WELCOME,
        ctx,
        &[("name", name), ("email", email), ("login_url", &login_url)],
    )
}

/// The password reset mail with its one-time link.
pub fn password_reset(ctx: &MailContext, name: &str, token: &str, minutes: i64) -> Draft {
    let reset_url = ctx.link(&format!("/reset-password?token={token}"));
    let minutes = minutes.to_string();
    compose(
        &PASSWORD_RESET,
        ctx,
        &[
            ("name", name),
            ("reset_url", &reset_url),
            ("minutes", &minutes),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> MailContext {
        MailContext {
            store_name: "Ada's <School>".into(),
            public_url: "https://school.example".into(),
            return_instructions: String::new(),
            default_locale: "en".into(),
        }
    }

    fn no_placeholder_left(mail: &Rendered) {
        for part in [&mail.subject, &mail.text, &mail.html] {
            assert!(!part.contains("{{"), "unfilled placeholder in {part}");
            assert!(
                !part.contains("{$") && !part.contains("{ $"),
                "unfilled in {part}"
            );
            assert!(!part.contains("mail-"), "a missing message in {part}");
        }
    }

    #[test]
    fn welcome_mail_names_the_store_and_links_to_login() {
        let draft = welcome(&ctx(), "Grace", "grace@example.com");
        assert!(!draft.sensitive());
        let mail = draft.render();
        no_placeholder_left(&mail);
        assert_eq!(mail.subject, "Welcome to Ada's <School>");
        assert!(mail.text.contains("https://school.example/login"));
        assert!(mail.html.contains("Ada&#39;s &lt;School&gt;"));
        assert!(!mail.html.contains("<School>"));
    }

    #[test]
    fn reset_mail_carries_the_link_and_lifetime_and_is_sensitive() {
        let draft = password_reset(&ctx(), "Grace", "tok_123", 60);
        assert!(draft.sensitive());
        let mail = draft.render();
        no_placeholder_left(&mail);
        let link = "https://school.example/reset-password?token=tok_123";
        assert!(mail.text.contains(link));
        assert!(mail.html.contains(link));
        assert!(mail.text.contains("60 minutes"));
    }

    #[test]
    fn values_cannot_inject_markup_or_header_lines() {
        let mut context = ctx();
        context.store_name = "Evil\r\nBcc: victim@example.com".into();
        let mail = welcome(&context, "<script>x</script>", "a@example.com").render();
        assert!(!mail.subject.contains('\n') && !mail.subject.contains('\r'));
        assert!(mail.html.contains("&lt;script&gt;"));
        assert!(mail.text.contains("<script>x</script>"));
    }

    #[test]
    fn a_stored_draft_renders_as_the_original_would() {
        for draft in [
            welcome(&ctx(), "Grace \"G\" <Hopper>", "grace@example.com"),
            password_reset(&ctx(), "Grace", "tok_123", 60),
        ] {
            let stored = Draft::from_stored(draft.template_name(), &draft.vars_json()).unwrap();
            assert_eq!(stored.render(), draft.render());
            assert_eq!(stored.sensitive(), draft.sensitive());
        }
        let err = Draft::from_stored("no_such_mail", "[]").unwrap_err();
        assert!(err.contains("no_such_mail"), "{err}");
        assert!(Draft::from_stored("welcome", "{not json").is_err());
    }

    #[test]
    fn every_template_is_found_by_its_own_name() {
        let mut names: Vec<&str> = ALL.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len(), "two templates share a name");
        for template in ALL {
            let found = Draft::from_stored(template.name, "[]").unwrap();
            assert_eq!(found.template.name, template.name);
            for locale in crate::i18n::stored_locales() {
                for part in ["subject", "html"] {
                    let key = format!("mail-{}.{part}", template.name);
                    assert!(
                        crate::i18n::keys(&locale).contains(&key),
                        "{locale} lacks {key}"
                    );
                }
            }
        }
        // A template missing from `ALL` would queue mail the worker cannot render.
        let declared: usize = [
            include_str!("templates.rs"),
            include_str!("events.rs"),
            include_str!("refund_events.rs"),
            include_str!("membership_events.rs"),
        ]
        .iter()
        .flat_map(|source| source.lines())
        .filter(|line| line.starts_with("pub const ") && line.contains(": Template"))
        .count();
        assert_eq!(declared, ALL.len());
    }

    #[test]
    fn a_draft_renders_in_the_locale_it_is_given() {
        let draft = password_reset(&ctx(), "Grace", "tok", 1).in_locale("fr");
        let mail = draft.render();
        no_placeholder_left(&mail);
        assert_eq!(
            mail.subject,
            "Réinitialisez votre mot de passe Ada's <School>"
        );
        assert!(mail.text.contains("expire dans 1 minute."), "{}", mail.text);
        assert!(mail.html.contains("<html lang=\"fr\" dir=\"ltr\">"));
        let stored = Draft::from_stored(draft.template_name(), &draft.vars_json()).unwrap();
        assert_eq!(stored.render(), mail);
        let english = password_reset(&ctx(), "Grace", "tok", 5).render();
        assert!(
            english.text.contains("expires in 5 minutes."),
            "{}",
            english.text
        );
    }

    #[test]
    fn unknown_placeholders_are_left_visible() {
        assert_eq!(fill("a {{b}} {{c", &[], |v| v.to_string()), "a {{b}} {{c");
    }
}
