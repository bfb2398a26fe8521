//! The sign-in rules of outside providers, as pure functions: who may sign in, what links.

/// Why a provider sign-in is refused; `code` is what the login page shows a message for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    EmailNotVerified,
    DomainNotAllowed,
    SignupClosed,
    AccountDisabled,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::EmailNotVerified => "email_not_verified",
            Refusal::DomainNotAllowed => "domain_not_allowed",
            Refusal::SignupClosed => "signup_closed",
            Refusal::AccountDisabled => "account_disabled",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Refusal::EmailNotVerified => {
                "the provider has not verified this email address; verify it there first"
            }
            Refusal::DomainNotAllowed => {
                "accounts of this email domain may not sign in with this provider"
            }
            Refusal::SignupClosed => {
                "no account uses this email, and sign-up with this provider is closed"
            }
            Refusal::AccountDisabled => "this account is disabled; contact the school",
        }
    }
}

/// What the provider asserted about the person, after the token checks.
#[derive(Debug, Clone)]
pub struct Asserted {
    pub subject: String,
    pub email: String,
    pub email_verified: bool,
    /// Google's hosted domain (`hd`) claim, when present.
    pub hosted_domain: Option<String>,
}

/// A verified email whose domain is listed (any domain when the list is empty). Google
/// also names the Workspace domain in `hd`: it must match too, so a personal account that
/// merely uses a school address elsewhere is not taken for a school account.
pub fn domain_allowed(asserted: &Asserted, allowed: &[String], checks_hd: bool) -> bool {
    if allowed.is_empty() {
        return true;
    }
    let Some((_, domain)) = asserted.email.rsplit_once('@') else {
        return false;
    };
    let domain = domain.to_lowercase();
    if !allowed.contains(&domain) {
        return false;
    }
    !checks_hd || asserted.hosted_domain.as_deref() == Some(domain.as_str())
}

/// The account the provider's email names, as the linking rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExistingAccount {
    pub disabled: bool,
    pub email_verified: bool,
}

/// What the first sign-in of a (provider, subject) pair does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstSignIn {
    /// Link to the account with this email and sign in.
    Link,
    /// The account's email is not known to be its owner's: its password must be proved once.
    AskPassword,
    /// Create an account and link it.
    Create,
    Refuse(Refusal),
}

/// The first sign-in links by email only when both sides vouch for it: the provider has
/// verified the address and this school has seen the owner use it.
pub fn first_sign_in(
    existing: Option<ExistingAccount>,
    email_verified: bool,
    allow_signup: bool,
) -> FirstSignIn {
    if !email_verified {
        return FirstSignIn::Refuse(Refusal::EmailNotVerified);
    }
    match existing {
        Some(a) if a.disabled => FirstSignIn::Refuse(Refusal::AccountDisabled),
        Some(a) if a.email_verified => FirstSignIn::Link,
        Some(_) => FirstSignIn::AskPassword,
        None if allow_signup => FirstSignIn::Create,
        None => FirstSignIn::Refuse(Refusal::SignupClosed),
    }
}

/// An account's email counts as verified once a link mailed to it (a password reset or a
/// login link) was used, issued after the email last changed.
pub fn account_email_verified(
    last_used_link_issued_at: Option<&str>,
    email_changed_at: Option<&str>,
) -> bool {
    match (last_used_link_issued_at, email_changed_at) {
        (None, _) => false,
        (Some(_), None) => true,
        // RFC 3339 UTC text sorts as time.
        (Some(link), Some(changed)) => link > changed,
    }
}

/// Unlinking must leave a way in: a password, or another linked provider.
pub fn may_unlink(has_password: bool, identities: usize) -> bool {
    has_password || identities > 1
}

/// Where to land after signing in: a same-origin path only, never another site.
pub fn safe_next(next: Option<&str>) -> String {
    let Some(next) = next.filter(|n| !n.is_empty()) else {
        return "/".into();
    };
    let same_origin = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    if same_origin && next.len() <= 512 {
        next.to_string()
    } else {
        "/".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asserted(email: &str, hd: Option<&str>) -> Asserted {
        Asserted {
            subject: "s".into(),
            email: email.into(),
            email_verified: true,
            hosted_domain: hd.map(Into::into),
        }
    }

    #[test]
    fn any_domain_may_sign_in_when_none_are_listed() {
        assert!(domain_allowed(&asserted("a@x.test", None), &[], true));
    }

    #[test]
    fn an_unlisted_domain_is_refused() {
        let allowed = vec!["school.test".to_string()];
        assert!(!domain_allowed(
            &asserted("a@x.test", None),
            &allowed,
            false
        ));
        assert!(domain_allowed(
            &asserted("a@School.test", None),
            &allowed,
            false
        ));
    }

    #[test]
    fn google_needs_the_hosted_domain_to_match_the_email_domain() {
        let allowed = vec!["school.test".to_string()];
        let personal = asserted("a@school.test", None);
        assert!(!domain_allowed(&personal, &allowed, true));
        let workspace = asserted("a@school.test", Some("school.test"));
        assert!(domain_allowed(&workspace, &allowed, true));
    }

    #[test]
    fn an_unverified_email_never_links_or_creates() {
        let verified = Some(ExistingAccount {
            disabled: false,
            email_verified: true,
        });
        assert_eq!(
            first_sign_in(verified, false, true),
            FirstSignIn::Refuse(Refusal::EmailNotVerified)
        );
        assert_eq!(
            first_sign_in(None, false, true),
            FirstSignIn::Refuse(Refusal::EmailNotVerified)
        );
    }

    #[test]
    fn an_account_with_an_unproved_email_asks_for_its_password() {
        let unproved = Some(ExistingAccount {
            disabled: false,
            email_verified: false,
        });
        assert_eq!(
            first_sign_in(unproved, true, true),
            FirstSignIn::AskPassword
        );
    }

    #[test]
    fn a_disabled_account_is_refused_and_closed_signup_creates_nothing() {
        let disabled = Some(ExistingAccount {
            disabled: true,
            email_verified: true,
        });
        assert_eq!(
            first_sign_in(disabled, true, true),
            FirstSignIn::Refuse(Refusal::AccountDisabled)
        );
        assert_eq!(
            first_sign_in(None, true, false),
            FirstSignIn::Refuse(Refusal::SignupClosed)
        );
        assert_eq!(first_sign_in(None, true, true), FirstSignIn::Create);
    }

    #[test]
    fn a_link_issued_before_the_email_changed_proves_nothing() {
        assert!(!account_email_verified(None, None));
        assert!(account_email_verified(Some("2026-01-02T00:00:00Z"), None));
        assert!(!account_email_verified(
            Some("2026-01-01T00:00:00Z"),
            Some("2026-01-02T00:00:00Z")
        ));
    }

    #[test]
    fn the_last_way_to_sign_in_may_not_be_unlinked() {
        assert!(!may_unlink(false, 1));
        assert!(may_unlink(false, 2));
        assert!(may_unlink(true, 1));
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/my/courses")), "/my/courses");
        for bad in [
            "https://evil.test/",
            "//evil.test",
            "/\\evil.test",
            "javascript:x",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
