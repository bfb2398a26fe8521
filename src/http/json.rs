//! JSON request bodies with problem responses that name the offending field.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::{AppError, FieldError};

/// Like `axum::Json`, but malformed JSON is a 400, a wrong type or missing field is a 422
/// naming the field, a wrong content type is a 415 and an oversize body a 413.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        if !is_json {
            return Err(AppError::UnsupportedMediaType(
                "expected a request body with Content-Type: application/json".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest(crate::msg!(
                    "problem-body-unreadable",
                    cause = rejection.body_text()
                ))
            }
        })?;
        parse(&bytes).map(Json)
    }
}

/// Parses a JSON document, mapping errors to problems that name the field.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                AppError::BadRequest(crate::msg!("problem-bad-json", cause = inner.to_string()))
            }
            _ => {
                let message = clean_message(&inner.to_string());
                let field = if path == "." {
                    missing_field_name(&message).unwrap_or_else(|| "body".into())
                } else {
                    missing_field_name(&message)
                        .map(|f| format!("{path}.{f}"))
                        .unwrap_or(path)
                };
                let message = match message
                    .strip_prefix("missing field `")
                    .and_then(|m| m.strip_suffix('`'))
                {
                    Some(name) => crate::msg!("problem-missing-field", name = name),
                    None => crate::msg!("problem-json-invalid", cause = message.as_str()),
                };
                AppError::Validation(vec![FieldError::new(field, message)])
            }
        }
    })
}

/// serde_json appends " at line 1 column 7", which means nothing to an API user.
fn clean_message(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn missing_field_name(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest[..rest.find('`')?].to_string())
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        email: String,
        nested: Option<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
    }

    fn field_of(e: AppError) -> String {
        match e {
            AppError::Validation(errors) => errors[0].field.clone(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn missing_field_is_named() {
        assert_eq!(field_of(parse::<Body>(b"{}").unwrap_err()), "email");
    }

    #[test]
    fn wrong_nested_type_is_named_by_path() {
        let e = parse::<Body>(br#"{"email":"a","nested":{"count":"x"}}"#).unwrap_err();
        assert_eq!(field_of(e), "nested.count");
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        assert!(matches!(
            parse::<Body>(b"{\"email\":").unwrap_err(),
            AppError::BadRequest(_)
        ));
    }
}
