//! The one error type, rendered as RFC 9457 `application/problem+json`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub use crate::i18n::Message;
use crate::i18n::{Args, problems::ProblemTexts};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// One invalid field of a request, named by its path (`shipping_address.country`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    #[schema(value_type = String)]
    pub message: Message,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<Message>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[schema(value_type = String)]
    pub detail: Message,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Extra members specific to the problem (e.g. `available` for stock conflicts).
    #[serde(flatten, skip_serializing_if = "serde_json::Map::is_empty")]
    #[schema(value_type = Object)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(Message),
    #[error("{}", validation_summary(.0))]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Unauthorized(Message),
    #[error("{0}")]
    Forbidden(Message),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{detail}")]
    Conflict {
        detail: Message,
        field: Option<&'static str>,
    },
    #[error("{0}")]
    Gone(Message),
    #[error("{0}")]
    PaymentRequired(Message),
    #[error("the request body is larger than this endpoint accepts")]
    PayloadTooLarge,
    #[error("{0}")]
    UnsupportedMediaType(Message),
    #[error("{detail}")]
    TooManyRequests {
        detail: Message,
        retry_after_secs: u64,
    },
    #[error("{0}")]
    Unavailable(Message),
    /// A fully described problem, for errors that carry extra members.
    #[error("{}", .0.detail)]
    Problem(Box<Problem>),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

fn validation_summary(errors: &[FieldError]) -> String {
    validation_message(errors).to_string()
}

impl AppError {
    pub fn field(field: impl Into<String>, message: impl Into<Message>) -> AppError {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn conflict(detail: impl Into<Message>) -> AppError {
        AppError::Conflict {
            detail: detail.into(),
            field: None,
        }
    }

    pub fn conflict_on(field: &'static str, detail: impl Into<Message>) -> AppError {
        AppError::Conflict {
            detail: detail.into(),
            field: Some(field),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::PaymentRequired(_) => StatusCode::PAYMENT_REQUIRED,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Problem(p) => {
                StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn to_problem(&self) -> Problem {
        if let AppError::Problem(p) = self {
            return (**p).clone();
        }
        let mut problem = Problem::new(self.status(), self.message());
        match self {
            AppError::Validation(errors) => problem.errors = errors.clone(),
            AppError::Conflict {
                field: Some(field),
                detail,
            } => {
                problem.errors = vec![FieldError::new(*field, detail.clone())];
            }
            _ => {}
        }
        problem
    }

    /// The problem's `detail` as a message the reader's locale can say.
    pub fn message(&self) -> Message {
        match self {
            AppError::BadRequest(m)
            | AppError::Unauthorized(m)
            | AppError::Forbidden(m)
            | AppError::Gone(m)
            | AppError::PaymentRequired(m)
            | AppError::UnsupportedMediaType(m)
            | AppError::Unavailable(m)
            | AppError::Conflict { detail: m, .. }
            | AppError::TooManyRequests { detail: m, .. } => m.clone(),
            AppError::NotFound(thing) => not_found(thing),
            AppError::PayloadTooLarge => Message::from(PAYLOAD_TOO_LARGE),
            AppError::Validation(errors) => validation_message(errors),
            AppError::Problem(p) => p.detail.clone(),
            AppError::Internal(_) => Message::from(
                "an unexpected error occurred; it has been logged with this request's id",
            ),
        }
    }
}

const PAYLOAD_TOO_LARGE: &str = "the request body is larger than this endpoint accepts";

/// `<thing> not found`, the thing named in the reader's language (`thing-<name>`).
fn not_found(thing: &str) -> Message {
    let key = format!("thing-{}", thing.replace(' ', "-"));
    let name = match crate::i18n::lookup(crate::i18n::SOURCE_LOCALE, &key, &Args::new()) {
        Some(_) => Message::new(key, Args::new()),
        // A thing without a name in the catalogue (the completeness test names it).
        None => Message::verbatim(thing.to_string()),
    };
    Message::new("problem-not-found", Args::new().message("thing", name))
}

/// The detail of a 422: the one field and its message, or how many fields are invalid.
fn validation_message(errors: &[FieldError]) -> Message {
    match errors {
        [one] => Message::new(
            "problem-one-field",
            Args::new()
                .text("field", one.field.clone())
                .message("message", one.message.clone()),
        ),
        _ => Message::new(
            "problem-fields-invalid",
            Args::new().number("count", errors.len() as i64),
        ),
    }
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<Message>) -> Problem {
        Problem {
            kind: format!("/problems/{}", slug(status)),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            extra: serde_json::Map::new(),
        }
    }

    pub fn with(mut self, key: &str, value: impl Serialize) -> Problem {
        self.extra.insert(
            key.to_string(),
            serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
        );
        self
    }

    pub fn into_error(self) -> AppError {
        AppError::Problem(Box::new(self))
    }
}

fn slug(status: StatusCode) -> String {
    status
        .canonical_reason()
        .unwrap_or("error")
        .to_ascii_lowercase()
        .replace(' ', "-")
        .replace('\'', "")
}

/// Renders a problem with the right content type.
pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).unwrap_or_default();
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response.extensions_mut().insert(ProblemTexts {
        detail: problem.detail.clone(),
        fields: problem.errors.iter().map(|e| e.message.clone()).collect(),
    });
    response
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        let mut response = problem_response(&self.to_problem());
        if let AppError::Internal(e) = &self {
            response
                .extensions_mut()
                .insert(super::middleware::ErrorMessage(format!("{e:#}")));
        }
        if let AppError::TooManyRequests {
            retry_after_secs, ..
        } = &self
            && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if let AppError::Unavailable(_) = &self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> AppError {
        if let rusqlite::Error::SqliteFailure(code, _) = &e
            && matches!(
                code.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            )
        {
            return AppError::Unavailable("the database is busy; try again".into());
        }
        AppError::Internal(e.into())
    }
}

/// True when `e` is a UNIQUE constraint failure on `table.column`.
pub fn is_unique_violation(e: &rusqlite::Error, table_column: &str) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(code, Some(message))
        if code.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            && message.contains(table_column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_do_not_leak_details() {
        let problem = AppError::Internal(anyhow::anyhow!("secret path /etc/x")).to_problem();
        assert_eq!(problem.status, 500);
        assert!(!problem.detail.contains("/etc/x"));
    }

    #[test]
    fn conflict_on_a_field_names_it() {
        let problem = AppError::conflict_on("email", "email is already registered").to_problem();
        assert_eq!(problem.status, 409);
        assert_eq!(problem.errors[0].field, "email");
        assert_eq!(problem.kind, "/problems/conflict");
    }
}
