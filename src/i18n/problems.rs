//! The locale of each request (an extension handlers and extractors read), and problem
//! bodies told in it: `title` by status, `detail` and field messages from their [`Message`].
//!
//! A problem response carries its messages ([`ProblemTexts`], put there by
//! `http::error::problem_response`) beside the English body; this layer says them again in
//! the reader's locale with the same arguments. The machine-readable `type` never changes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

use super::{Args, Message, SOURCE_LOCALE, lookup, t};

/// `http::error::PROBLEM_JSON` (http sits above this module, so it is written again here).
const PROBLEM_JSON: &str = "application/problem+json";

/// The messages of a problem response, as a response extension: its `detail`, and the
/// `message` of each field error in order.
#[derive(Debug, Clone)]
pub struct ProblemTexts {
    pub detail: Message,
    pub fields: Vec<Message>,
}

/// Problem bodies larger than this are passed on untranslated.
const MAX_PROBLEM_BYTES: usize = 64 * 1024;

/// What decides this request's locale; the signed-in user's preference is filled in by
/// the auth extractor once it knows who is asking.
#[derive(Debug, Clone)]
pub struct RequestLocale {
    cookie: Option<String>,
    accept_language: Option<String>,
    default: Arc<str>,
    user: Arc<Mutex<Option<String>>>,
}

impl RequestLocale {
    pub fn from_parts(headers: &axum::http::HeaderMap, default: &str) -> RequestLocale {
        let (cookie, accept_language) = super::negotiate::from_headers(headers);
        RequestLocale {
            cookie,
            accept_language,
            default: default.into(),
            user: Arc::new(Mutex::new(None)),
        }
    }

    /// Records the signed-in caller's own preference (`None`: they have not chosen one).
    pub fn set_user(&self, locale: Option<&str>) {
        *self.user.lock().unwrap_or_else(|p| p.into_inner()) = locale.map(str::to_string);
    }

    /// The negotiated locale, the user's preference first.
    pub fn code(&self) -> String {
        let user = self.user.lock().unwrap_or_else(|p| p.into_inner()).clone();
        self.code_for(user.as_deref())
    }

    /// The negotiated locale with `user` as the caller's preference.
    pub fn code_for(&self, user: Option<&str>) -> String {
        super::negotiate(
            user,
            self.cookie.as_deref(),
            self.accept_language.as_deref(),
            &self.default,
        )
    }

    pub fn default_locale(&self) -> &str {
        &self.default
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestLocale {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(match parts.extensions.get::<RequestLocale>() {
            Some(found) => found.clone(),
            // Outside the layer (unit tests of a bare router): headers and English.
            None => RequestLocale::from_parts(&parts.headers, SOURCE_LOCALE),
        })
    }
}

/// The layer: gives the request its [`RequestLocale`] and translates problem bodies.
pub async fn localize(default: Arc<str>, mut request: Request, next: Next) -> Response {
    let locale = RequestLocale::from_parts(request.headers(), &default);
    request.extensions_mut().insert(locale.clone());
    let response = next.run(request).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    if !is_problem {
        return response;
    }
    let code = locale.code();
    let (mut parts, body) = response.into_parts();
    if let Ok(value) = HeaderValue::from_str(&code) {
        parts.headers.insert(header::CONTENT_LANGUAGE, value);
    }
    if code == SOURCE_LOCALE {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PROBLEM_BYTES).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let texts = parts.extensions.get::<ProblemTexts>();
    let translated = match serde_json::from_slice::<Value>(&bytes) {
        Ok(mut problem) => {
            translate_problem(&code, &mut problem, texts);
            serde_json::to_vec(&problem).unwrap_or_else(|_| bytes.to_vec())
        }
        Err(_) => bytes.to_vec(),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(translated))
}

/// Rewrites `title`, `detail` and each field error's `message` of a problem in `locale`:
/// from its messages when the response carries them, else by their English text.
pub fn translate_problem(locale: &str, problem: &mut Value, texts: Option<&ProblemTexts>) {
    if let Some(status) = problem.get("status").and_then(Value::as_u64)
        && let Some(title) = lookup(locale, &format!("problem-title-{status}"), &Args::new())
    {
        problem["title"] = Value::String(title);
    }
    if let Some(detail) = problem.get("detail").and_then(Value::as_str) {
        let said = match texts {
            Some(texts) if texts.detail == *detail => texts.detail.in_locale(locale),
            _ => translate_detail(locale, detail),
        };
        problem["detail"] = Value::String(said);
    }
    if let Some(Value::Array(errors)) = problem.get_mut("errors") {
        for (i, error) in errors.iter_mut().enumerate() {
            if let Some(message) = error.get("message").and_then(Value::as_str) {
                let said = match texts.and_then(|t| t.fields.get(i)) {
                    Some(text) if *text == *message => text.in_locale(locale),
                    _ => translate_detail(locale, message),
                };
                error["message"] = Value::String(said);
            }
        }
    }
}

/// English message text -> its catalogue key, from the English catalogue itself.
fn by_english_text() -> &'static HashMap<String, String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        super::keys(SOURCE_LOCALE)
            .into_iter()
            .filter(|k| k.starts_with("problem-detail-"))
            .filter_map(|k| Some((lookup(SOURCE_LOCALE, &k, &Args::new())?, k)))
            .collect()
    })
}

/// The `problem-detail-*` key whose English is `english`.
pub fn catalogue_key(english: &str) -> Option<&'static str> {
    by_english_text().get(english).map(String::as_str)
}

/// One message in `locale`: a catalogued English text, or `<thing> not found` (the text
/// of `AppError::NotFound`), or else unchanged.
pub fn translate_detail(locale: &str, english: &str) -> String {
    if let Some(key) = by_english_text().get(english) {
        return t(locale, key, &Args::new());
    }
    if let Some(thing) = english.strip_suffix(" not found")
        && !thing.contains(' ')
    {
        let name = lookup(locale, &format!("thing-{thing}"), &Args::new())
            .unwrap_or_else(|| thing.to_string());
        return t(
            locale,
            "problem-not-found",
            &Args::new().text("thing", name),
        );
    }
    english.to_string()
}

/// Every `problem-detail-*` key with its English text (for the drift test).
pub fn catalogued_details() -> Vec<(String, String)> {
    by_english_text()
        .iter()
        .map(|(text, key)| (key.clone(), text.clone()))
        .collect()
}
