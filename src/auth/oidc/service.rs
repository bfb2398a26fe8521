//! Provider sign-in after the token checks: find the linked account, link or create one by
//! the rules of `policy`, confirm a pending link with the password, list and unlink.

use super::config::ProviderConfig;
use super::flow::PendingLink;
use super::policy::{self, Asserted, ExistingAccount, FirstSignIn, Refusal};
use super::store::{self, Identity, NO_PASSWORD};
use crate::audit;
use crate::auth::service::Origin;
use crate::http::AppError;
use crate::state::AppState;
use crate::users::model::normalize_name;
use crate::users::{User, store as users};

/// Where a provider sign-in ends.
#[derive(Debug)]
pub enum Outcome {
    /// The account to open a session for (MFA still applies).
    SignedIn(Box<User>),
    /// An account uses this email, but nothing proves its owner holds the provider
    /// account: its password must be given once to link.
    NeedsPassword(PendingLink),
    Refused(Refusal),
}

fn record(
    conn: &rusqlite::Connection,
    now: &str,
    user_id: Option<&str>,
    action: &str,
    ip: Option<&str>,
    detail: serde_json::Value,
) -> rusqlite::Result<()> {
    audit::store::record(
        conn,
        now,
        &audit::Entry {
            actor_id: user_id,
            action,
            target_type: Some("user"),
            target_id: user_id,
            ip,
            detail: Some(detail),
        },
    )
}

fn existing_account(conn: &rusqlite::Connection, user: &User) -> rusqlite::Result<ExistingAccount> {
    let link = store::last_used_mail_link_issued(conn, &user.id)?;
    let changed = store::email_changed_at(conn, &user.id)?;
    Ok(ExistingAccount {
        disabled: user.disabled_at.is_some(),
        email_verified: policy::account_email_verified(link.as_deref(), changed.as_deref()),
    })
}

/// Resolves a checked provider assertion to an account, in one write: a refusal is
/// audited (with its reason) and changes nothing else.
pub async fn sign_in(
    state: &AppState,
    provider: &ProviderConfig,
    asserted: Asserted,
    display_name: Option<String>,
    origin: &Origin,
) -> Result<Outcome, AppError> {
    let email = asserted.email.trim().to_lowercase();
    let early = early_refusal(provider, &asserted, &email);
    let attempt = Attempt {
        provider: provider.clone(),
        name: account_name(display_name.as_deref(), &email),
        asserted,
        email,
        now: state.now_text(),
        ip: origin.ip.clone(),
        issued_at: state.now().unix_timestamp(),
        mail_ctx: crate::mail::templates::MailContext::from_config(&state.config),
    };
    let outcome = state
        .db
        .write(move |conn| resolve(conn, &attempt, early))
        .await?;
    if matches!(outcome, Outcome::SignedIn(_)) {
        crate::mail::wake(state);
    }
    Ok(outcome)
}

/// The refusals that need no account: an unverified or empty email, a domain the provider
/// does not allow. They are still audited inside the write, against the linked account.
fn early_refusal(provider: &ProviderConfig, asserted: &Asserted, email: &str) -> Option<Refusal> {
    // Only Google names the Workspace domain (`hd`); there it must match too.
    let hd_checked = provider.preset == super::config::Preset::Google;
    if !asserted.email_verified || email.is_empty() {
        Some(Refusal::EmailNotVerified)
    } else if !policy::domain_allowed(asserted, &provider.allowed_domains, hd_checked) {
        Some(Refusal::DomainNotAllowed)
    } else {
        None
    }
}

/// The name a new account gets: the provider's display name, else the email's local part.
fn account_name(display_name: Option<&str>, email: &str) -> String {
    display_name
        .and_then(|n| normalize_name(n).ok())
        .or_else(|| normalize_name(email.split('@').next().unwrap_or("")).ok())
        .unwrap_or_else(|| "New user".into())
}

/// One provider sign-in as carried into its write transaction.
struct Attempt {
    provider: ProviderConfig,
    asserted: Asserted,
    /// Trimmed and lower-cased.
    email: String,
    name: String,
    now: String,
    ip: Option<String>,
    issued_at: i64,
    mail_ctx: crate::mail::templates::MailContext,
}

impl Attempt {
    fn detail(&self, reason: &str) -> serde_json::Value {
        serde_json::json!({ "provider": self.provider.id, "email": self.email, "reason": reason })
    }

    fn audit(
        &self,
        conn: &rusqlite::Connection,
        user_id: &str,
        action: &str,
        detail: serde_json::Value,
    ) -> rusqlite::Result<()> {
        record(
            conn,
            &self.now,
            Some(user_id),
            action,
            self.ip.as_deref(),
            detail,
        )
    }

    fn refuse(
        &self,
        conn: &rusqlite::Connection,
        user_id: Option<&str>,
        r: Refusal,
    ) -> Result<Outcome, AppError> {
        let detail = self.detail(r.code());
        record(
            conn,
            &self.now,
            user_id,
            "oidc.refused",
            self.ip.as_deref(),
            detail,
        )?;
        Ok(Outcome::Refused(r))
    }

    /// The link between this provider account and `user_id`, used now.
    fn identity(&self, user_id: &str) -> Identity {
        Identity {
            id: uuid::Uuid::now_v7().to_string(),
            provider: self.provider.id.clone(),
            subject: self.asserted.subject.clone(),
            user_id: user_id.to_string(),
            email: self.email.clone(),
            created_at: self.now.clone(),
            last_used_at: Some(self.now.clone()),
        }
    }
}

/// The body of the sign-in transaction: a linked identity wins (the early refusal is
/// audited against it first); otherwise `policy::first_sign_in` decides.
fn resolve(
    conn: &rusqlite::Connection,
    a: &Attempt,
    early: Option<Refusal>,
) -> Result<Outcome, AppError> {
    let linked = store::find(conn, &a.provider.id, &a.asserted.subject)?;
    if let Some(r) = early {
        return a.refuse(conn, linked.as_ref().map(|l| l.user_id.as_str()), r);
    }
    if let Some(identity) = linked {
        return sign_in_linked(conn, a, &identity);
    }
    let account = users::by_email(conn, &a.email)?;
    let existing = match &account {
        Some(user) => Some(existing_account(conn, user)?),
        None => None,
    };
    match (
        policy::first_sign_in(existing, true, a.provider.allow_signup),
        account,
    ) {
        (FirstSignIn::Refuse(r), account) => {
            a.refuse(conn, account.as_ref().map(|u| u.id.as_str()), r)
        }
        (FirstSignIn::Link, Some(user)) => {
            store::insert(conn, &a.identity(&user.id))?;
            a.audit(conn, &user.id, "oidc.linked", a.detail("verified email"))?;
            a.audit(conn, &user.id, "oidc.signed_in", a.detail("linked"))?;
            Ok(Outcome::SignedIn(Box::new(user)))
        }
        (FirstSignIn::AskPassword, Some(user)) => {
            a.audit(
                conn,
                &user.id,
                "oidc.link_pending",
                a.detail("password needed"),
            )?;
            Ok(Outcome::NeedsPassword(PendingLink {
                provider: a.provider.id.clone(),
                subject: a.asserted.subject.clone(),
                email: a.email.clone(),
                issued_at: a.issued_at,
            }))
        }
        (_, _) => create_account(conn, a),
    }
}

/// A provider account already linked: signs its account in unless it is disabled.
fn sign_in_linked(
    conn: &rusqlite::Connection,
    a: &Attempt,
    identity: &Identity,
) -> Result<Outcome, AppError> {
    let user = users::by_id(conn, &identity.user_id)?.ok_or(AppError::NotFound("user"))?;
    if user.disabled_at.is_some() {
        return a.refuse(conn, Some(&user.id), Refusal::AccountDisabled);
    }
    store::touch(conn, &identity.id, &a.now)?;
    a.audit(conn, &user.id, "oidc.signed_in", a.detail("linked"))?;
    Ok(Outcome::SignedIn(Box::new(user)))
}

/// Sign-up through the provider: a password-less account with the provider's default role,
/// its identity, the audit rows and the welcome mail (queued in the same transaction).
fn create_account(conn: &rusqlite::Connection, a: &Attempt) -> Result<Outcome, AppError> {
    let user = User {
        id: uuid::Uuid::now_v7().to_string(),
        email: a.email.clone(),
        name: a.name.clone(),
        password_hash: NO_PASSWORD.into(),
        role: role_of(a.provider.default_role),
        disabled_at: None,
        created_at: a.now.clone(),
        updated_at: a.now.clone(),
    };
    users::insert(conn, &user)?;
    store::insert(conn, &a.identity(&user.id))?;
    let created = serde_json::json!({ "role": user.role, "provider": a.provider.id });
    a.audit(conn, &user.id, "user.created", created)?;
    a.audit(conn, &user.id, "oidc.linked", a.detail("new account"))?;
    a.audit(conn, &user.id, "oidc.signed_in", a.detail("new account"))?;
    let welcome = crate::mail::templates::welcome(&a.mail_ctx, &user.name, &user.email);
    crate::mail::store::enqueue(conn, &a.now, &user.email, &welcome)?;
    Ok(Outcome::SignedIn(Box::new(user)))
}

/// Links a pending identity to the signed-in account once its password is proved.
pub async fn confirm_link(
    state: &AppState,
    user_id: &str,
    pending: PendingLink,
    password: Option<String>,
    origin: &Origin,
) -> Result<Identity, AppError> {
    if state.now().unix_timestamp() - pending.issued_at > super::flow::LINK_SECONDS {
        return Err(AppError::Gone(
            "this link request has expired; sign in with the provider again".into(),
        ));
    }
    crate::auth::reauth::confirm_password(state, user_id, password, "current_password", origin)
        .await?;
    let (uid, now, ip) = (user_id.to_string(), state.now_text(), origin.ip.clone());
    state
        .db
        .write(move |conn| {
            if let Some(found) = store::find(conn, &pending.provider, &pending.subject)? {
                if found.user_id == uid {
                    return Ok(found);
                }
                return Err(AppError::conflict(
                    "this provider account is already linked to another account",
                ));
            }
            let identity = Identity {
                id: uuid::Uuid::now_v7().to_string(),
                provider: pending.provider.clone(),
                subject: pending.subject.clone(),
                user_id: uid.clone(),
                email: pending.email.clone(),
                created_at: now.clone(),
                last_used_at: None,
            };
            store::insert(conn, &identity)?;
            let detail = serde_json::json!({
                "provider": identity.provider, "email": identity.email, "reason": "password proved"
            });
            record(conn, &now, Some(&uid), "oidc.linked", ip.as_deref(), detail)?;
            Ok(identity)
        })
        .await
}

pub async fn list(state: &AppState, user_id: &str) -> Result<Vec<Identity>, AppError> {
    let id = user_id.to_string();
    state
        .db
        .read(move |conn| Ok(store::of_user(conn, &id)?))
        .await
}

/// Unlinks one identity, refused with 409 when it is the account's last way to sign in.
pub async fn unlink(
    state: &AppState,
    user_id: &str,
    identity_id: &str,
    origin: &Origin,
) -> Result<(), AppError> {
    let (uid, iid) = (user_id.to_string(), identity_id.to_string());
    let (now, ip) = (state.now_text(), origin.ip.clone());
    state
        .db
        .write(move |conn| {
            let all = store::of_user(conn, &uid)?;
            let target = all
                .iter()
                .find(|i| i.id == iid)
                .ok_or(AppError::NotFound("identity"))?;
            let user = users::by_id(conn, &uid)?.ok_or(AppError::NotFound("user"))?;
            let has_password = user.password_hash != NO_PASSWORD;
            if !policy::may_unlink(has_password, all.len()) {
                let detail = serde_json::json!({ "provider": target.provider, "reason": "last sign-in method" });
                record(conn, &now, Some(&uid), "oidc.unlink_refused", ip.as_deref(), detail)?;
                return Ok(Err(AppError::conflict(
                    "this is your only way to sign in: set a password (use \"Forgot password\") or link another provider first",
                )));
            }
            store::delete(conn, &uid, &iid)?;
            let detail = serde_json::json!({ "provider": target.provider, "email": target.email });
            record(conn, &now, Some(&uid), "oidc.unlinked", ip.as_deref(), detail)?;
            Ok(Ok(()))
        })
        .await?
}

/// The account role a provider's `default_role` names.
fn role_of(role: crate::config::oidc::SignupRole) -> crate::users::Role {
    use crate::config::oidc::SignupRole;
    use crate::users::Role;
    match role {
        SignupRole::Admin => Role::Admin,
        SignupRole::Vendor => Role::Vendor,
        SignupRole::Instructor => Role::Instructor,
        SignupRole::Student => Role::Student,
    }
}
