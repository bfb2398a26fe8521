//! Export and erasure of a person's data (GDPR articles 15, 17 and 20).

use serde_json::Value;

use super::{export, store};
use crate::audit;
use crate::http::AppError;
use crate::state::AppState;

/// The export ZIP of `user_id`. Every section is read, redacted and written a row at a
/// time inside one read, so the server holds one row and the compressed files however long
/// the person's history is.
pub async fn export_zip(state: &AppState, user_id: &str) -> Result<Vec<u8>, AppError> {
    let user_id = user_id.to_string();
    let generated_at = state.now_text();
    let store_name = state.config.store.name.clone();
    let school_locale = state.config.site.default_locale.clone();
    state
        .db
        .read(move |conn| {
            let zip_failed = |e: zip::result::ZipError| AppError::Internal(e.into());
            // Audit rows by staff and grading name other people: only their role stays.
            let redact = |values: &mut [Value]| -> rusqlite::Result<()> {
                for value in values {
                    super::redact::others(value, &mut |text| {
                        store::other_person_role(conn, &user_id, text)
                    })?;
                }
                Ok(())
            };
            let mut profile = None;
            store::each_row(conn, store::PROFILE_SQL, &user_id, |columns, values| {
                redact(values)?;
                profile = Some((columns.to_vec(), values.to_vec()));
                Ok::<_, AppError>(())
            })?;
            let (columns, values) = profile.ok_or(AppError::NotFound("user"))?;
            // The user's own choice, else the school's language.
            let locale = crate::users::store::locale(conn, &user_id)?.unwrap_or(school_locale);
            let mut export =
                export::Export::start(&locale, &store_name, &generated_at).map_err(zip_failed)?;
            export
                .record("profile", &columns, &values)
                .map_err(zip_failed)?;
            let payments = store::table_exists(conn, "payments")?;
            let sections = store::EXPORT_SECTIONS
                .iter()
                .chain(store::PAYMENT_SECTIONS.iter().filter(|_| payments));
            for (name, sql) in sections {
                export.begin_list(name).map_err(zip_failed)?;
                store::each_row(conn, sql, &user_id, |columns, values| {
                    redact(values)?;
                    export.row(columns, values).map_err(zip_failed)
                })?;
            }
            export.finish().map_err(zip_failed)
        })
        .await
}

/// Writes the audit row of a data export (GDPR access request) by the person themself.
pub async fn record_export(
    state: &AppState,
    user_id: &str,
    ip: Option<String>,
    size_bytes: usize,
) -> Result<(), AppError> {
    let (user_id, now) = (user_id.to_string(), state.now_text());
    state
        .db
        .write(move |conn| {
            audit::store::record(
                conn,
                &now,
                &audit::Entry {
                    actor_id: Some(&user_id),
                    action: "user.data_exported",
                    target_type: Some("user"),
                    target_id: Some(&user_id),
                    ip: ip.as_deref(),
                    detail: Some(serde_json::json!({ "size_bytes": size_bytes })),
                },
            )?;
            Ok(())
        })
        .await
}

/// The pseudonym an erased account keeps: unique, not an address anyone can receive mail at.
pub fn pseudonym(user_id: &str) -> String {
    let tail: String = user_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let start = tail.len().saturating_sub(12);
    format!("erased-{}@erased.invalid", &tail[start..])
}

/// A password hash no password matches (not a valid PHC string).
pub const UNUSABLE_PASSWORD_HASH: &str = "!erased";

pub fn is_erased(email: &str) -> bool {
    email.ends_with("@erased.invalid")
}

/// Who asked for the erasure.
pub enum Requester<'a> {
    /// The person themself (password already checked).
    Themself,
    /// An admin, who inherits the person's courses and products.
    Admin { id: &'a str, ip: Option<&'a str> },
}

/// The audit rows that mention the person's email, read before the erasure's write:
/// scanning the log takes seconds in a big school, so it runs on a reader and the write
/// looks only at what it found and at what came since.
async fn audit_mentions(state: &AppState, user_id: &str) -> Result<store::Mentions, AppError> {
    let user_id = user_id.to_string();
    state
        .db
        .read(move |conn| match store::user(conn, &user_id)? {
            Some(user) => Ok(store::audit_mentions(conn, &user.email)?),
            None => Ok(store::Mentions::unknown()),
        })
        .await
}

/// Erases `user_id` in one transaction: ownership passes to an admin, personal fields are
/// replaced, sessions and tokens go, accounting rows stay linked to the pseudonym.
pub async fn erase(
    state: &AppState,
    user_id: &str,
    requester: Requester<'_>,
) -> Result<(), AppError> {
    let (user_id, now) = (user_id.to_string(), state.now_text());
    let forget = user_id.clone();
    let (actor, ip, by) = match requester {
        Requester::Themself => (user_id.clone(), None, "self"),
        Requester::Admin { id, ip } => (id.to_string(), ip.map(str::to_string), "admin"),
    };
    let mentions = audit_mentions(state, &user_id).await?;
    state
        .db
        .write(move |conn| {
            let user = store::user(conn, &user_id)?.ok_or(AppError::NotFound("user"))?;
            if is_erased(&user.email) {
                return Err(AppError::conflict("this account has already been erased"));
            }
            let other_admin = store::oldest_admin(conn, &user_id)?;
            if user.role == "admin" && other_admin.is_none() {
                return Err(AppError::conflict(
                    "this is the only admin account; make another admin first",
                ));
            }
            let heir = if by == "admin" {
                Some(actor.clone())
            } else {
                other_admin
            };
            let (courses, products) = store::owned_counts(conn, &user_id)?;
            if courses + products > 0 {
                let heir = heir.as_deref().ok_or_else(|| {
                    AppError::conflict(
                        "no admin exists to take over this account's courses and products",
                    )
                })?;
                store::transfer_ownership(conn, &user_id, heir, &now)?;
            }
            let pseudonym = pseudonym(&user_id);
            store::erase(
                conn,
                &user_id,
                &pseudonym,
                UNUSABLE_PASSWORD_HASH,
                &now,
                &mentions,
            )?;
            audit::store::record(
                conn,
                &now,
                &audit::Entry {
                    actor_id: Some(&actor),
                    action: "user.erased",
                    target_type: Some("user"),
                    target_id: Some(&user_id),
                    // A self-erasure keeps no address of the person.
                    ip: ip.as_deref(),
                    detail: Some(serde_json::json!({
                        "by": by,
                        "courses_transferred": courses,
                        "products_transferred": products,
                        "heir": if courses + products > 0 { heir } else { None },
                    })),
                },
            )?;
            Ok(())
        })
        .await?;
    // The erased account's sessions are gone from the database; drop them from the cache too.
    state.sessions.forget_user(&forget);
    Ok(())
}

/// Checks the caller's password before a self-erasure.
pub async fn check_password(
    state: &AppState,
    user_id: &str,
    password: String,
) -> Result<(), AppError> {
    let id = user_id.to_string();
    let stored = state
        .db
        .read(move |conn| Ok(store::user(conn, &id)?.map(|u| u.password_hash)))
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let hasher = state.hasher.clone();
    let valid = state
        .blocking(move || hasher.verify(&password, Some(&stored)))
        .await?;
    if valid {
        Ok(())
    } else {
        Err(AppError::field("password", "the password is not correct"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_unique_per_account_and_undeliverable() {
        let a = pseudonym("0190f3a4-1b2c-7d3e-8f40-0123456789ab");
        let b = pseudonym("0190f3a4-1b2c-7d3e-8f40-0123456789ac");
        assert_eq!(a, "erased-0123456789ab@erased.invalid");
        assert_ne!(a, b);
        assert!(is_erased(&a));
        assert_eq!(pseudonym("x"), "erased-x@erased.invalid");
    }
}
