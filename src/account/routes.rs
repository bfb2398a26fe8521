//! `/api/users/me`: the caller's own profile.

use axum::extract::State;
use axum::http::HeaderMap;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit;
use crate::auth::AuthUser;
use crate::auth::extract::ClientIp;
use crate::auth::reauth::confirm_password;
use crate::auth::routes::origin;
use crate::http::error::is_unique_violation;
use crate::http::{AppError, Json, Problem};
use crate::state::AppState;
use crate::users::model::{MeView, UserView, normalize_email, normalize_name};
use crate::users::store;

pub fn router(_state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_me, update_me))
}

/// The caller's profile.
#[utoipa::path(get, path = "/api/users/me", tag = "users", security(("bearer" = [])),
    responses(
        (status = 200, body = MeView),
    ))]
pub async fn get_me(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<MeView>, AppError> {
    let id = user.user_id;
    let me = state.db.read(move |conn| me_view(conn, &id)).await?;
    Ok(Json(me))
}

fn me_view(conn: &rusqlite::Connection, id: &str) -> Result<MeView, AppError> {
    let found = store::by_id(conn, id)?.ok_or(AppError::NotFound("user"))?;
    Ok(MeView {
        user: UserView::from(&found),
        mfa_enabled: crate::auth::mfa::store::is_enabled(conn, id)?,
        locale: store::locale(conn, id)?,
    })
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    pub name: Option<String>,
    pub email: Option<String>,
    /// Required when changing the email.
    pub current_password: Option<String>,
    /// A code of `GET /api/i18n`'s `available`, or `null` to let each request negotiate.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Option<String>>,
}

/// A field that may be absent (keep), `null` (clear) or a value (set).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// The locale to store (`Some(None)`: clear it), or `None` when the body leaves it alone.
fn locale_change(
    body: &UpdateMe,
    errors: &mut Vec<crate::http::FieldError>,
) -> Option<Option<&'static str>> {
    match chosen_locale(body.locale.as_ref()?.as_deref()) {
        Ok(chosen) => Some(chosen),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// The locale as stored: an available code in its listed spelling, or a 422 naming `locale`.
fn chosen_locale(raw: Option<&str>) -> Result<Option<&'static str>, crate::http::FieldError> {
    match raw {
        None => Ok(None),
        Some(code) => crate::i18n::canonical(code.trim())
            .map(Some)
            .ok_or_else(|| {
                crate::http::FieldError::new(
                    "locale",
                    "must be one of the available locales (GET /api/i18n)",
                )
            }),
    }
}

/// Change the caller's name, email (an email change needs the current password) or locale.
#[utoipa::path(patch, path = "/api/users/me", tag = "users", security(("bearer" = [])), request_body = UpdateMe,
    responses(
        (status = 200, body = MeView),
        (status = 409, description = "email taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid field, or the current password missing or wrong for an email change", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many wrong passwords for this account from this address", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_me(
    State(state): State<AppState>,
    user: AuthUser,
    ip: ClientIp,
    headers: HeaderMap,
    Json(body): Json<UpdateMe>,
) -> Result<Json<MeView>, AppError> {
    let id = user.user_id.clone();
    let current = state
        .db
        .read(move |conn| store::by_id(conn, &id)?.ok_or(AppError::NotFound("user")))
        .await?;
    let mut errors = Vec::new();
    let name = match body.name.as_deref().map(normalize_name) {
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            errors.push(e);
            current.name.clone()
        }
        None => current.name.clone(),
    };
    let email = match body.email.as_deref().map(normalize_email) {
        Some(Ok(e)) => e,
        Some(Err(e)) => {
            errors.push(e);
            current.email.clone()
        }
        None => current.email.clone(),
    };
    let locale = locale_change(&body, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let email_changed = email != current.email;
    if email_changed {
        confirm_password(
            &state,
            &user.user_id,
            body.current_password,
            "current_password",
            &origin(&ip, &headers),
        )
        .await?;
    }
    let now = state.now_text();
    let (id, ip) = (user.user_id.clone(), ip.0.clone());
    let old_email = current.email.clone();
    let updated = state
        .db
        .write(move |conn| {
            store::update_profile(conn, &id, &name, &email, locale, &now).map_err(|e| {
                if is_unique_violation(&e, "users.email") {
                    AppError::conflict_on("email", "an account with this email already exists")
                } else {
                    e.into()
                }
            })?;
            if email_changed {
                audit::store::record(
                    conn,
                    &now,
                    &audit::Entry {
                        actor_id: Some(&id),
                        action: "user.email_changed",
                        target_type: Some("user"),
                        target_id: Some(&id),
                        ip: ip.as_deref(),
                        detail: Some(serde_json::json!({ "from": old_email, "to": email })),
                    },
                )?;
            }
            me_view(conn, &id)
        })
        .await?;
    if locale.is_some() {
        state.sessions.forget_user(&user.user_id); // it caches the locale
    }
    Ok(Json(updated))
}
