//! The current password, asked again before a signed-in user changes how they sign in
//! (password, email, MFA): a stolen access token alone must not be enough.

use super::service::Origin;
use crate::http::AppError;
use crate::state::AppState;
use crate::users::{User, store as users};

/// Checks `password` against the account's current one. Missing or wrong is a 422 naming
/// `field`; a wrong one also counts as a failed sign-in of this email from this address,
/// so the check cannot be used to guess the password faster than the login form.
pub async fn confirm_password(
    state: &AppState,
    user_id: &str,
    password: Option<String>,
    field: &'static str,
    origin: &Origin,
) -> Result<User, AppError> {
    let Some(password) = password.filter(|p| !p.is_empty()) else {
        return Err(AppError::field(
            field,
            "is required: enter your current password to make this change",
        ));
    };
    let id = user_id.to_string();
    let user = state
        .db
        .read(move |conn| users::by_id(conn, &id)?.ok_or(AppError::NotFound("user")))
        .await?;
    let now = state.now();
    let limits = state.config.rate_limit.clone();
    let attempt = state
        .login_throttle
        .begin(&user.email, origin.ip.as_deref(), now, &limits)?;
    let hasher = state.hasher.clone();
    let stored = user.password_hash.clone();
    let valid = state
        .blocking(move || hasher.verify(&password, Some(&stored)))
        .await?;
    if !valid {
        state.login_throttle.failed(&attempt, now);
        return Err(AppError::field(field, "is incorrect"));
    }
    state.login_throttle.succeeded(&attempt);
    Ok(user)
}
