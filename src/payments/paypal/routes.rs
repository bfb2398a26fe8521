//! PayPal's HTTP endpoints: its webhook and the buyer's return from / cancellation at PayPal.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::http::{AppError, Json, Problem};
use crate::payments::model::PaymentView;
use crate::payments::webhook::WebhookAck;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(paypal_webhook))
        .routes(routes!(paypal_return))
        .routes(routes!(paypal_cancel))
}

/// PayPal webhook endpoint: each delivery is verified with PayPal
/// (`/v1/notifications/verify-webhook-signature`, `payments.paypal.webhook_id`) first.
#[utoipa::path(post, path = "/api/payments/webhook/paypal", tag = "payments",
    request_body(content = String, description = "the PayPal event exactly as sent", content_type = "application/json"),
    params(
        ("PAYPAL-TRANSMISSION-ID" = String, Header, description = "PayPal's delivery id"),
        ("PAYPAL-TRANSMISSION-SIG" = String, Header, description = "PayPal's signature"),
    ),
    responses(
        (status = 200, description = "received (applied, duplicate or ignored)", body = WebhookAck),
        (status = 400, description = "missing transmission headers, not verified by PayPal, unreadable event, or PayPal not enabled", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "PayPal could not be reached to verify or capture; PayPal delivers again", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn paypal_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: String,
) -> Result<Json<WebhookAck>, AppError> {
    Ok(Json(super::webhook::receive(&state, &headers, body).await?))
}

/// The buyer is back from PayPal: the approved PayPal order is captured and the order paid.
#[utoipa::path(post, path = "/api/payments/{id}/paypal/return", tag = "payments", security(("bearer" = [])),
    params(("id" = String, Path, description = "payment id")),
    responses(
        (status = 200, description = "the payment after the capture (completed, failed, or still pending if not approved)", body = PaymentView),
        (status = 404, description = "no such payment of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "not a PayPal payment", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "PayPal failed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn paypal_return(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Json<PaymentView>, AppError> {
    Ok(Json(super::flow::buyer_returned(&state, &user, id).await?))
}

/// The buyer cancelled at PayPal: the payment fails and the order waits for another try or
/// another way to pay (unless PayPal says it was approved after all: then it is captured).
#[utoipa::path(post, path = "/api/payments/{id}/paypal/cancel", tag = "payments", security(("bearer" = [])),
    params(("id" = String, Path, description = "payment id")),
    responses(
        (status = 200, body = PaymentView),
        (status = 404, description = "no such payment of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "not a PayPal payment", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn paypal_cancel(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Json<PaymentView>, AppError> {
    Ok(Json(super::flow::buyer_cancelled(&state, &user, id).await?))
}
