//! `GET /api/i18n`: the locale negotiated for this request and every available one, for
//! the web UI's loader and language switcher.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::extract::MaybeUser;
use crate::http::{AppError, Json, Problem};
use crate::i18n::LocaleInfo;
use crate::i18n::problems::RequestLocale;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_i18n))
}

/// The negotiated locale and the available ones.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct I18nView {
    /// Chosen by: the signed-in user's preference, the `schoolhouse_locale` cookie,
    /// `Accept-Language`, then `[site] default_locale`.
    pub locale: String,
    /// `ltr` or `rtl`.
    pub dir: String,
    pub default_locale: String,
    pub available: Vec<LocaleInfo>,
}

/// The locale this request gets, and every locale on offer (public).
#[utoipa::path(get, path = "/api/i18n", tag = "i18n",
    responses(
        (status = 200, body = I18nView),
        (status = 401, description = "an invalid access token was sent", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_i18n(_user: MaybeUser, locale: RequestLocale) -> Result<Response, AppError> {
    let code = locale.code();
    let default_locale = crate::i18n::canonical(locale.default_locale())
        .unwrap_or(crate::i18n::SOURCE_LOCALE)
        .to_string();
    let view = I18nView {
        dir: crate::i18n::dir(&code).to_string(),
        locale: code,
        default_locale,
        available: crate::i18n::available(),
    };
    let mut response = Json(view).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language, Authorization"),
    );
    Ok(response)
}
