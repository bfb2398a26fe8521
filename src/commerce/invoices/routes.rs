//! Invoice endpoints: the buyer's invoice and credit notes of an order (PDF, from the
//! archive), the admin list and the admin ZIP of a period.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::archive;
use super::content::DocumentKind;
use super::store::{self, InvoiceView, ListFilter};
use crate::analytics::period::DateRange;
use crate::auth::{AuthUser, require_roles};
use crate::http::{AppError, Json, ListResponse, PageParams, Problem, Query};
use crate::state::AppState;
use crate::users::Role;

/// Most documents one ZIP may hold; a longer period is asked for in parts.
pub const MAX_ZIP_DOCUMENTS: usize = 5000;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let admin = require_roles(
        OpenApiRouter::new()
            .routes(routes!(admin_list))
            .routes(routes!(admin_zip))
            .routes(routes!(admin_pdf)),
        state,
        &[Role::Admin],
    );
    OpenApiRouter::new()
        .routes(routes!(order_invoice))
        .routes(routes!(order_documents))
        .routes(routes!(order_credit_note))
        .merge(admin)
}

/// The order's documents, when `user` may see the order (its buyer, or an admin): 404 else.
async fn documents_of(
    state: &AppState,
    user: &AuthUser,
    order_id: String,
) -> Result<Vec<InvoiceView>, AppError> {
    let viewer = (!user.is_admin()).then(|| user.user_id.clone());
    state
        .db
        .read(move |conn| {
            crate::commerce::store::orders::get(conn, &order_id, viewer.as_deref())?
                .ok_or(AppError::NotFound("order"))?;
            Ok(store::of_order(conn, &order_id)?)
        })
        .await
}

fn pdf_response(doc: &InvoiceView, bytes: Vec<u8>) -> Response {
    let name: String = doc
        .number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.pdf\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// The order's invoice as a PDF (the buyer's or, for admins, anyone's), served as archived.
#[utoipa::path(get, path = "/api/orders/{id}/invoice", tag = "invoices", security(("bearer" = [])),
    params(("id" = String, Path, description = "order id")),
    responses(
        (status = 200, description = "the invoice", body = String, content_type = "application/pdf"),
        (status = 404, description = "no such order visible to the caller, or it is not paid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn order_invoice(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let docs = documents_of(&state, &user, id).await?;
    let invoice = docs
        .into_iter()
        .find(|d| d.kind == DocumentKind::Invoice)
        .ok_or(AppError::NotFound("invoice"))?;
    let bytes = archive::pdf(&state, &invoice.id).await?;
    Ok(pdf_response(&invoice, bytes))
}

/// The order's invoice and credit notes (JSON), each with its PDF link.
#[utoipa::path(get, path = "/api/orders/{id}/invoices", tag = "invoices", security(("bearer" = [])),
    params(("id" = String, Path, description = "order id")),
    responses(
        (status = 200, body = Vec<InvoiceView>),
        (status = 404, description = "no such order visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn order_documents(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<InvoiceView>>, AppError> {
    Ok(Json(documents_of(&state, &user, id).await?))
}

/// One credit note of the order as a PDF, served as archived.
#[utoipa::path(get, path = "/api/orders/{id}/credit-notes/{noteId}", tag = "invoices", security(("bearer" = [])),
    params(("id" = String, Path, description = "order id"), ("noteId" = String, Path, description = "credit note id")),
    responses(
        (status = 200, description = "the credit note", body = String, content_type = "application/pdf"),
        (status = 404, description = "no such order or credit note visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn order_credit_note(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, note_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let docs = documents_of(&state, &user, id).await?;
    let note = docs
        .into_iter()
        .find(|d| d.kind == DocumentKind::CreditNote && d.id == note_id)
        .ok_or(AppError::NotFound("credit note"))?;
    let bytes = archive::pdf(&state, &note.id).await?;
    Ok(pdf_response(&note, bytes))
}

/// Filters of the admin list; `from`/`to` are issue days (`YYYY-MM-DD`, inclusive).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoiceListQuery {
    /// `invoice` or `credit_note`.
    pub kind: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub order_id: Option<String>,
    pub user_id: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

fn kind_filter(kind: Option<&str>) -> Result<Option<DocumentKind>, AppError> {
    match kind.map(str::trim).filter(|k| !k.is_empty()) {
        None => Ok(None),
        Some("invoice") => Ok(Some(DocumentKind::Invoice)),
        Some("credit_note") => Ok(Some(DocumentKind::CreditNote)),
        Some(_) => Err(AppError::field("kind", "must be invoice or credit_note")),
    }
}

fn day_bounds(
    state: &AppState,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(String, String), AppError> {
    if from.is_none() && to.is_none() {
        return Ok(("0000".into(), "9999".into()));
    }
    let range = DateRange::parse(from, to, state.now().date())
        .map_err(|e| AppError::Validation(vec![e]))?;
    Ok((range.start_text(), range.end_text()))
}

/// Every invoice and credit note, newest first (admin).
#[utoipa::path(get, path = "/api/admin/invoices", tag = "invoices", security(("bearer" = [])), params(InvoiceListQuery),
    responses(
        (status = 200, body = ListResponse<InvoiceView>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn admin_list(
    State(state): State<AppState>,
    Query(q): Query<InvoiceListQuery>,
) -> Result<Json<ListResponse<InvoiceView>>, AppError> {
    let page = PageParams {
        page: q.page,
        per_page: q.per_page,
    }
    .checked()?;
    let (from, to) = day_bounds(&state, q.from.as_deref(), q.to.as_deref())?;
    let filter = ListFilter {
        kind: kind_filter(q.kind.as_deref())?,
        from: Some(from),
        to: Some(to),
        order_id: q.order_id,
        user_id: q.user_id,
    };
    let (items, total) = state
        .db
        .read(move |conn| Ok(store::list(conn, &filter, page)?))
        .await?;
    Ok(Json(ListResponse::new(items, total, page)))
}

/// Any document as a PDF (admin), served as archived.
#[utoipa::path(get, path = "/api/admin/invoices/{id}/pdf", tag = "invoices", security(("bearer" = [])),
    params(("id" = String, Path, description = "invoice or credit note id")),
    responses(
        (status = 200, description = "the document", body = String, content_type = "application/pdf"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn admin_pdf(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let key = id.clone();
    let doc = state
        .db
        .read(move |conn| store::get(conn, &key)?.ok_or(AppError::NotFound("invoice")))
        .await?;
    let bytes = archive::pdf(&state, &id).await?;
    Ok(pdf_response(&doc, bytes))
}

/// The period of a ZIP: issue days, inclusive.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ZipQuery {
    pub from: String,
    pub to: String,
}

/// Every invoice and credit note issued in a period, as archived, in one ZIP with an
/// `index.csv` (admin).
#[utoipa::path(get, path = "/api/admin/invoices/archive", tag = "invoices", security(("bearer" = [])), params(ZipQuery),
    responses(
        (status = 200, description = "the documents", body = String, content_type = "application/zip"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "bad period, or more documents than one ZIP holds", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn admin_zip(
    State(state): State<AppState>,
    Query(q): Query<ZipQuery>,
) -> Result<Response, AppError> {
    let (from, to) = day_bounds(&state, Some(&q.from), Some(&q.to))?;
    let docs = state
        .db
        .read(move |conn| Ok(store::in_period(conn, &from, &to)?))
        .await?;
    if docs.len() > MAX_ZIP_DOCUMENTS {
        return Err(AppError::field(
            "to",
            crate::msg!(
                "problem-zip-too-many",
                count = docs.len(),
                max = MAX_ZIP_DOCUMENTS
            ),
        ));
    }
    let mut files = Vec::with_capacity(docs.len());
    for doc in &docs {
        files.push(archive::pdf(&state, &doc.id).await?);
    }
    let zip = state
        .blocking(move || super::zip::build(&docs, files))
        .await??;
    let name = format!("invoices-{}-{}.zip", q.from.trim(), q.to.trim());
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        zip,
    )
        .into_response())
}
