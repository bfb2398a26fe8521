//! Mail templates embedded in the binary: a subject, a plain-text and an HTML body with
//! `{{name}}` placeholders, the HTML wrapped in one shared layout.

use crate::config::Config;

/// One kind of mail. Add a new one with two files in `templates/` and a `const` here.
pub struct Template {
    pub name: &'static str,
    pub subject: &'static str,
    pub text: &'static str,
    pub html: &'static str,
    /// The body carries a secret (a one-time link): cleared from the outbox once sent.
    pub sensitive: bool,
}

pub const WELCOME: Template = Template {
    name: "welcome",
    subject: "Welcome to {{store_name}}",
    text: include_str!("templates/welcome.txt"),
    html: include_str!("templates/welcome.html"),
    sensitive: false,
};

pub const PASSWORD_RESET: Template = Template {
    name: "password_reset",
    subject: "Reset your {{store_name}} password",
    text: include_str!("templates/password_reset.txt"),
    html: include_str!("templates/password_reset.html"),
    sensitive: true,
};

const LAYOUT: &str = include_str!("templates/layout.html");

/// What every template may use: `{{store_name}}` and `{{public_url}}`.
#[derive(Debug, Clone)]
pub struct MailContext {
    pub store_name: String,
    pub public_url: String,
}

impl MailContext {
    pub fn from_config(config: &Config) -> MailContext {
        MailContext {
            store_name: config.store.name.clone(),
            public_url: config.public_url(),
        }
    }

    /// An absolute link into the web UI, e.g. `link("/reset-password?token=..")`.
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.public_url)
    }
}

/// A filled-in template, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub template: &'static str,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub sensitive: bool,
}

/// Fills `template` with `vars` plus the context's values; values are HTML-escaped in the
/// HTML body, and line breaks are removed from the subject.
pub fn render(template: &Template, ctx: &MailContext, vars: &[(&str, &str)]) -> Rendered {
    let mut all: Vec<(&str, &str)> = vec![
        ("store_name", &ctx.store_name),
        ("public_url", &ctx.public_url),
    ];
    all.extend_from_slice(vars);
    let subject: String = fill(template.subject, &all, |v| v.to_string())
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let content = fill(template.html, &all, escape_html);
    let mut page_vars = all.clone();
    page_vars.push(("subject", &subject));
    let html = fill(LAYOUT, &page_vars, escape_html).replace("{{content}}", &content);
    Rendered {
        template: template.name,
        text: fill(template.text, &all, |v| v.to_string()),
        html,
        subject,
        sensitive: template.sensitive,
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

/// Where `pair` first occurs in `text`. Mail is rendered inside write transactions, and
/// `str::find` sets up a substring searcher on every call, which showed in the writer's
/// profile; a plain scan of these short templates is cheaper.
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
pub fn welcome(ctx: &MailContext, name: &str, email: &str) -> Rendered {
    let login_url = ctx.link("/login");
    render(
        &WELCOME,
        ctx,
        &[("name", name), ("email", email), ("login_url", &login_url)],
    )
}

/// The password reset mail with its one-time link.
pub fn password_reset(ctx: &MailContext, name: &str, token: &str, minutes: i64) -> Rendered {
    let reset_url = ctx.link(&format!("/reset-password?token={token}"));
    let minutes = minutes.to_string();
    render(
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
        }
    }

    fn no_placeholder_left(mail: &Rendered) {
        for part in [&mail.subject, &mail.text, &mail.html] {
            assert!(!part.contains("{{"), "unfilled placeholder in {part}");
        }
    }

    #[test]
    fn welcome_mail_names_the_store_and_links_to_login() {
        let mail = welcome(&ctx(), "Grace", "grace@example.com");
        no_placeholder_left(&mail);
        assert_eq!(mail.subject, "Welcome to Ada's <School>");
        assert!(mail.text.contains("https://school.example/login"));
        assert!(mail.html.contains("Ada&#39;s &lt;School&gt;"));
        assert!(!mail.html.contains("<School>"));
        assert!(!mail.sensitive);
    }

    #[test]
    fn reset_mail_carries_the_link_and_lifetime_and_is_sensitive() {
        let mail = password_reset(&ctx(), "Grace", "tok_123", 60);
        no_placeholder_left(&mail);
        let link = "https://school.example/reset-password?token=tok_123";
        assert!(mail.text.contains(link));
        assert!(mail.html.contains(link));
        assert!(mail.text.contains("60 minutes"));
        assert!(mail.sensitive);
    }

    #[test]
    fn values_cannot_inject_markup_or_header_lines() {
        let mut context = ctx();
        context.store_name = "Evil\r\nBcc: victim@example.com".into();
        let mail = welcome(&context, "<script>x</script>", "a@example.com");
        assert!(!mail.subject.contains('\n') && !mail.subject.contains('\r'));
        assert!(mail.html.contains("&lt;script&gt;"));
        assert!(mail.text.contains("<script>x</script>"));
    }

    #[test]
    fn unknown_placeholders_are_left_visible() {
        assert_eq!(fill("a {{b}} {{c", &[], |v| v.to_string()), "a {{b}} {{c");
    }
}
