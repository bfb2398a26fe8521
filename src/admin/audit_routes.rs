//! `GET /api/admin/audit` and `GET /api/admin/errors` (admin): read-only views of the
//! append-only audit log and the bounded error log.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::store::{self, AuditFilter};
use crate::auth::require_roles;
use crate::clock::{day_text, parse_day};
use crate::http::{AppError, Json, ListResponse, PageParams, Problem, Query};
use crate::state::AppState;
use crate::users::Role;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let routes = OpenApiRouter::new()
        .routes(routes!(list_audit))
        .routes(routes!(list_errors));
    require_roles(routes, state, &[Role::Admin])
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// The acting user's id.
    pub actor: Option<String>,
    /// An action such as `login.succeeded`; a trailing `*` matches a prefix (`order.*`).
    pub action: Option<String>,
    /// The target's id.
    pub target: Option<String>,
    /// The target's type (`user`, `order`, `course` ...).
    pub target_type: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// One audit entry.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub ip: Option<String>,
    /// Short before/after summary.
    #[schema(value_type = Option<Object>)]
    pub detail: Option<serde_json::Value>,
}

fn text(value: Option<String>, field: &str) -> Result<Option<String>, AppError> {
    match value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
    {
        Some(v) if v.chars().count() > 200 => {
            Err(AppError::field(field, "must be at most 200 characters"))
        }
        other => Ok(other),
    }
}

/// Search the audit log, newest first. No endpoint changes or deletes an entry.
#[utoipa::path(get, path = "/api/admin/audit", tag = "audit", security(("bearer" = [])),
    params(AuditParams),
    responses(
        (status = 200, body = ListResponse<AuditEntryView>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "bad dates or paging", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_audit(
    State(state): State<AppState>,
    Query(params): Query<AuditParams>,
) -> Result<Json<ListResponse<AuditEntryView>>, AppError> {
    let page = PageParams {
        page: params.page,
        per_page: params.per_page,
    }
    .checked()?;
    let day = |value: &Option<String>, field: &str| -> Result<Option<time::Date>, AppError> {
        match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(text) => parse_day(text)
                .map(Some)
                .ok_or_else(|| AppError::field(field, "must be a date like 2026-01-31")),
        }
    };
    let (first, last) = (day(&params.from, "from")?, day(&params.to, "to")?);
    if let (Some(first), Some(last)) = (first, last)
        && first > last
    {
        return Err(AppError::field("from", "must not be after `to`"));
    }
    let from = first.map(|d| format!("{}T00:00:00", day_text(d)));
    let until = last.map(|d| format!("{}T00:00:00", day_text(d.next_day().unwrap_or(d))));
    let filter = AuditFilter {
        actor: text(params.actor, "actor")?,
        action: text(params.action, "action")?,
        target_type: text(params.target_type, "target_type")?,
        target: text(params.target, "target")?,
        from,
        until,
    };
    let (rows, total) = state
        .db
        .read(move |conn| Ok(store::list(conn, &filter, page.limit(), page.offset())?))
        .await?;
    let items = rows
        .into_iter()
        .map(|r| AuditEntryView {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor_email: r.actor_email,
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            ip: r.ip,
            detail: r
                .detail
                .map(|d| serde_json::from_str(&d).unwrap_or(serde_json::Value::String(d))),
        })
        .collect();
    Ok(Json(ListResponse::new(items, total, page)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ErrorParams {
    /// `request` (5xx responses) or `job` (failed background jobs).
    pub kind: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// One recorded error.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErrorView {
    pub id: i64,
    pub at: String,
    /// `request` or `job`.
    pub kind: String,
    pub request_id: Option<String>,
    pub method: Option<String>,
    pub path: Option<String>,
    pub status: Option<u16>,
    pub job: Option<String>,
    pub message: String,
}

/// The newest server errors and failed background jobs (the log keeps 10,000 rows).
#[utoipa::path(get, path = "/api/admin/errors", tag = "audit", security(("bearer" = [])),
    params(ErrorParams),
    responses(
        (status = 200, body = ListResponse<ErrorView>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_errors(
    State(state): State<AppState>,
    Query(params): Query<ErrorParams>,
) -> Result<Json<ListResponse<ErrorView>>, AppError> {
    let page = PageParams {
        page: params.page,
        per_page: params.per_page,
    }
    .checked()?;
    let kind = match params.kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k @ ("request" | "job")) => Some(k.to_string()),
        Some(_) => return Err(AppError::field("kind", "must be request or job")),
    };
    let (rows, total) = state
        .db
        .read(move |conn| {
            Ok(store::list_errors(
                conn,
                kind.as_deref(),
                page.limit(),
                page.offset(),
            )?)
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|(id, at, r, kind)| ErrorView {
            id,
            at,
            kind,
            request_id: r.request_id,
            method: r.method,
            path: r.path,
            status: r.status,
            job: r.job,
            message: r.message,
        })
        .collect();
    Ok(Json(ListResponse::new(items, total, page)))
}
