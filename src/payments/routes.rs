//! `/api/payments`, `/api/refunds` and their admin counterparts: thin handlers over
//! `service`, `webhook` and `refunds`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::config::GatewayKind;
use super::decisions;
use super::model::{PaymentView, Refund, RefundStatus};
use super::office;
use super::refunds::{self, By, NewRefund};
use super::service;
use super::store::{self, RefundFilter};
use super::webhook::{self, WebhookAck};
use crate::auth::extract::ClientIp;
use crate::auth::{AuthUser, require_roles};
use crate::http::{AppError, Json, ListResponse, PageParams, Problem, Query, optional_filter};
use crate::state::AppState;
use crate::users::Role;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let admin = require_roles(
        OpenApiRouter::new()
            .routes(routes!(confirm_payment))
            .routes(routes!(record_order_payment))
            .routes(routes!(list_refunds))
            .routes(routes!(approve_refund))
            .routes(routes!(reject_refund))
            .routes(routes!(refund_return_received)),
        state,
        &[Role::Admin],
    );
    OpenApiRouter::new()
        .routes(routes!(create_payment))
        .routes(routes!(get_payment))
        .routes(routes!(stripe_webhook))
        .routes(routes!(create_refund))
        .routes(routes!(get_refund))
        .merge(super::paypal::routes::router())
        .merge(super::memberships::routes::router(state))
        .merge(admin)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePayment {
    pub order_id: String,
    /// `stripe`, `paypal` or `manual` (as enabled in `payments.gateways`).
    pub gateway: GatewayKind,
}

/// Start paying a pending order; an order with a payment already pending gets that one (200).
#[utoipa::path(post, path = "/api/payments", tag = "payments", security(("bearer" = [])), request_body = CreatePayment,
    responses(
        (status = 201, description = "a new payment", body = PaymentView),
        (status = 200, description = "the payment already pending for this order", body = PaymentView),
        (status = 404, description = "no such order of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the order is not pending, or has a pending payment with another gateway", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "gateway not enabled", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "the payment provider failed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_payment(
    State(state): State<AppState>,
    user: AuthUser,
    Json(body): Json<CreatePayment>,
) -> Result<(StatusCode, Json<PaymentView>), AppError> {
    let (view, created) =
        service::start_payment(&state, &user, body.order_id, body.gateway).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(view)))
}

/// A payment's status (the owner's, or any for admins); pending Stripe payments are
/// re-checked at Stripe first.
#[utoipa::path(get, path = "/api/payments/{id}", tag = "payments", security(("bearer" = [])),
    params(("id" = String, Path, description = "payment id")),
    responses(
        (status = 200, body = PaymentView),
    ))]
pub async fn get_payment(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Json<PaymentView>, AppError> {
    Ok(Json(service::get_payment(&state, &user, id).await?))
}

/// Stripe webhook endpoint (signed with `payments.stripe.webhook_secret`).
#[utoipa::path(post, path = "/api/payments/webhook", tag = "payments",
    request_body(content = String, description = "the Stripe event exactly as sent", content_type = "application/json"),
    params(("Stripe-Signature" = String, Header, description = "t=<unix time>,v1=<HMAC-SHA256>")),
    responses(
        (status = 200, description = "received (applied, duplicate or ignored)", body = WebhookAck),
        (status = 400, description = "missing or bad signature, timestamp older than 300 s, unreadable event, or Stripe not enabled", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn stripe_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: String,
) -> Result<Json<WebhookAck>, AppError> {
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    Ok(Json(webhook::receive(&state, signature, body).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    pub note: Option<String>,
}

/// Record that a manual payment (office or bank transfer) was received: the order is paid.
#[utoipa::path(post, path = "/api/admin/payments/{id}/confirm", tag = "payments", security(("bearer" = [])),
    params(("id" = String, Path, description = "payment id")),
    responses(
        (status = 200, body = PaymentView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "not a pending manual payment, or the order is no longer payable", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn confirm_payment(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Json<PaymentView>, AppError> {
    Ok(Json(office::confirm_manual(&state, &user, ip, id).await?))
}

/// Record that the buyer paid an order at the office or by bank transfer without choosing
/// that online: its pending manual payment is confirmed, or one is recorded and confirmed.
#[utoipa::path(post, path = "/api/admin/orders/{id}/record-payment", tag = "payments", security(("bearer" = [])),
    params(("id" = String, Path, description = "order id")),
    responses(
        (status = 200, body = PaymentView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the order is not awaiting payment, or manual payments are off", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn record_order_payment(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Json<PaymentView>, AppError> {
    Ok(Json(office::record_for_order(&state, &user, ip, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRefund {
    pub order_id: String,
    pub reason: String,
    /// Defaults to the chosen items' totals (everything still refundable when all items).
    pub amount_cents: Option<i64>,
    /// Order item ids; all items not yet refunded when omitted.
    pub item_ids: Option<Vec<String>>,
}

fn by(user: &AuthUser, ip: Option<String>) -> By {
    By {
        user_id: Some(user.user_id.clone()),
        ip,
    }
}

/// Request a refund of a paid order (the buyer), at most the refundable amount of the items
/// it covers (`payments::refundable`). Eligible requests are approved and paid back at once
/// (`refunds.auto_approve`); the answer lists every reason when not eligible.
#[utoipa::path(post, path = "/api/refunds", tag = "refunds", security(("bearer" = [])), request_body = CreateRefund,
    responses(
        (status = 201, body = Refund),
        (status = 404, description = "no such order of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "order not paid, in transit, items already refunded, or more than the items' refundable amount (`refundable_cents`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_refund(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Json(body): Json<CreateRefund>,
) -> Result<(StatusCode, Json<Refund>), AppError> {
    let request = NewRefund {
        order_id: body.order_id,
        reason: body.reason,
        amount_cents: body.amount_cents,
        item_ids: body.item_ids,
    };
    let refund = refunds::request_refund(&state, &user.user_id, by(&user, ip), request).await?;
    Ok((StatusCode::CREATED, Json(refund)))
}

/// A refund request's status (the buyer's own, or any for admins).
#[utoipa::path(get, path = "/api/refunds/{id}", tag = "refunds", security(("bearer" = [])),
    params(("id" = String, Path, description = "refund id")),
    responses(
        (status = 200, body = Refund),
    ))]
pub async fn get_refund(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Json<Refund>, AppError> {
    let (uid, admin) = (user.user_id.clone(), user.is_admin());
    let refund = state
        .db
        .read(move |conn| {
            store::refund(conn, &id)?
                .filter(|r| admin || r.user_id == uid)
                .ok_or(AppError::NotFound("refund"))
        })
        .await?;
    Ok(Json(refund))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RefundListQuery {
    /// requested, return_requested, return_received, approved, rejected, processed or failed.
    pub status: Option<String>,
    /// true: only requests waiting for staff (requested, return_requested, return_received,
    /// failed), the queue's "needs action" view.
    pub needs_action: Option<bool>,
    pub order_id: Option<String>,
    pub user_id: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// The refund queue, newest first.
#[utoipa::path(get, path = "/api/admin/refunds", tag = "refunds", security(("bearer" = [])),
    params(RefundListQuery),
    responses(
        (status = 200, body = ListResponse<Refund>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_refunds(
    State(state): State<AppState>,
    Query(query): Query<RefundListQuery>,
) -> Result<Json<ListResponse<Refund>>, AppError> {
    let page = PageParams {
        page: query.page,
        per_page: query.per_page,
    }
    .checked()?;
    let status = optional_filter::<RefundStatus>("status", query.status.as_deref())?;
    let filter = RefundFilter {
        status,
        needs_action: query.needs_action.unwrap_or(false),
        order_id: query.order_id.filter(|s| !s.is_empty()),
        user_id: query.user_id.filter(|s| !s.is_empty()),
    };
    let (items, total) = state
        .db
        .read(move |conn| {
            Ok(store::list_refunds(
                conn,
                &filter,
                page.limit(),
                page.offset(),
            )?)
        })
        .await?;
    Ok(Json(ListResponse::new(items, total, page)))
}

/// Approve a refund request (or retry a failed one, or override a rejection by hand) and pay
/// it back; for manual payments this records that staff returned the money.
#[utoipa::path(post, path = "/api/admin/refunds/{id}/approve", tag = "refunds", security(("bearer" = [])),
    params(("id" = String, Path, description = "refund id")), request_body = NoteBody,
    responses(
        (status = 200, body = Refund),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "already approved or processed, or (overriding a rejection) its items or amount are no longer free", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn approve_refund(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Json(body): Json<NoteBody>,
) -> Result<Json<Refund>, AppError> {
    let note = body
        .note
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    Ok(Json(
        decisions::approve(&state, &id, by(&user, ip), note).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectBody {
    /// Why, shown to the buyer.
    pub note: String,
}

/// Reject a refund request with a note.
#[utoipa::path(post, path = "/api/admin/refunds/{id}/reject", tag = "refunds", security(("bearer" = [])),
    params(("id" = String, Path, description = "refund id")), request_body = RejectBody,
    responses(
        (status = 200, body = Refund),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "already decided", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reject_refund(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Json(body): Json<RejectBody>,
) -> Result<Json<Refund>, AppError> {
    let note = body.note.trim().to_string();
    if note.is_empty() || note.chars().count() > 2000 {
        return Err(AppError::field("note", "must be 1 to 2000 characters"));
    }
    Ok(Json(
        decisions::reject(&state, &id, by(&user, ip), note).await?,
    ))
}

/// The returned goods arrived: they are restocked and the refund proceeds.
#[utoipa::path(post, path = "/api/admin/refunds/{id}/return-received", tag = "refunds", security(("bearer" = [])),
    params(("id" = String, Path, description = "refund id")),
    responses(
        (status = 200, body = Refund),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "no return is awaited", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn refund_return_received(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Json<Refund>, AppError> {
    Ok(Json(
        decisions::return_received(&state, &id, by(&user, ip)).await?,
    ))
}
