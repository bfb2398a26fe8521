//! `GET /api/orders/:id/items/:item_id/download`: a buyer's digital product, as a short-lived
//! signed link; the first download is recorded (a downloaded item is no longer refundable).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store::downloads;
use crate::auth::AuthUser;
use crate::http::{AppError, Json, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(download_item))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DownloadLink {
    /// A signed `/media/...` URL for the file, valid until `expires_at`.
    pub url: String,
    pub expires_at: String,
    /// When the buyer first downloaded this item (now, the first time).
    pub first_downloaded_at: String,
}

/// Download a digital product you bought (paid orders only). The first download is recorded:
/// from then on the item can no longer be refunded.
#[utoipa::path(get, path = "/api/orders/{id}/items/{item_id}/download", tag = "orders", security(("bearer" = [])),
    params(("id" = String, Path, description = "order id"), ("item_id" = String, Path, description = "order item id")),
    responses(
        (status = 200, body = DownloadLink),
        (status = 404, description = "no such item in an order of the caller, or no file attached", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "not a digital product, the order is not paid, or the item is being refunded", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn download_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path((order_id, item_id)): Path<(String, String)>,
) -> Result<Json<DownloadLink>, AppError> {
    let now = state.now_text();
    let uid = user.user_id.clone();
    let (media_id, first) = state
        .db
        .write(move |conn| {
            let target = downloads::target(conn, &order_id, &item_id, &uid)?
                .ok_or(AppError::NotFound("order item"))?;
            if target.item_kind != "digital_product" {
                return Err(AppError::conflict(
                    "only digital products are downloaded; courses are in your courses and \
                     physical goods are shipped",
                ));
            }
            if !target.order_status.is_paid_for() {
                return Err(Problem::new(
                    StatusCode::CONFLICT,
                    crate::msg!(
                        "problem-downloads-unpaid",
                        status = crate::status::word(target.order_status)
                    ),
                )
                .with("order_status", target.order_status)
                .into_error());
            }
            if target.in_refund {
                return Err(AppError::conflict(
                    "this item is being refunded or was refunded, so it can no longer be downloaded",
                ));
            }
            let media_id = target.media_id.ok_or(AppError::NotFound("download"))?;
            let first = downloads::record(conn, &item_id, &uid, &now)?;
            Ok((media_id, first))
        })
        .await?;
    let minutes = state.config.media.signed_url_minutes.max(1);
    let expires_at = crate::clock::rfc3339(state.now() + time::Duration::minutes(minutes));
    Ok(Json(DownloadLink {
        url: crate::catalog::signed_media_url(&state, &media_id),
        expires_at,
        first_downloaded_at: first,
    }))
}
