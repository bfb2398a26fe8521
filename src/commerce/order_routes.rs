//! `/api/orders`: checkout, order history, status changes and cancellation.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::checkout::Origin;
use super::history_note::SystemNote;
use super::lifecycle::OrderStatus;
use super::model::{
    CreateOrder, OrderFilter, OrderListQuery, OrderSummary, OrderView, StatusChange,
    check_order_lines,
};
use super::service::{self, Actor, StatusRequest};
use super::store;
use crate::auth::extract::ClientIp;
use crate::auth::{AuthUser, require_roles};
use crate::http::{AppError, Json, ListResponse, PageParams, Problem, Query, optional_filter};
use crate::i18n::problems::RequestLocale;
use crate::state::AppState;
use crate::users::Role;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let staff = require_roles(
        OpenApiRouter::new().routes(routes!(update_status)),
        state,
        &[Role::Admin, Role::Vendor],
    );
    OpenApiRouter::new()
        .routes(routes!(create_order, list_orders))
        .routes(routes!(get_order, cancel))
        .merge(staff)
}

/// Turn the caller's cart, or the `items` named ("buy now"), into a pending order (amounts
/// are always computed here).
#[utoipa::path(post, path = "/api/orders", tag = "orders", security(("bearer" = [])), request_body = CreateOrder,
    responses(
        (status = 201, body = OrderView),
        (status = 404, description = "an item named in `items` does not exist", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "an item is unavailable or out of stock (`available`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "empty cart or `items`, bad quantity, address, coupon or shipping choice", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_order(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    locale: RequestLocale,
    Json(body): Json<CreateOrder>,
) -> Result<(StatusCode, Json<OrderView>), AppError> {
    let locale = locale.code();
    Ok((
        StatusCode::CREATED,
        Json(place_order(&state, user, ip, &locale, body).await?),
    ))
}

/// Places the caller's order (the handler's and the demo's way in); its warnings are said
/// in `locale`.
pub async fn place_order(
    state: &AppState,
    user: AuthUser,
    ip: Option<String>,
    locale: &str,
    body: CreateOrder,
) -> Result<OrderView, AppError> {
    if let Some(items) = &body.items {
        check_order_lines(items).map_err(AppError::Validation)?;
    }
    // VIES and the IP file are consulted here, before the write and outside it.
    let vat = super::vat::checkout::prepare(state, &body, ip.as_deref()).await?;
    let (config, user_id, now) = (state.config.clone(), user.user_id.clone(), state.now());
    let locale = locale.to_string();
    let view = state
        .db
        .write(move |conn| {
            service::checkout(
                conn,
                &config,
                &user_id,
                &body,
                Origin {
                    ip: ip.as_deref(),
                    locale: &locale,
                },
                now,
                vat.as_ref(),
            )
        })
        .await?;
    crate::mail::wake(state);
    Ok(view)
}

fn time_bound(
    field: &str,
    raw: Option<&str>,
    end_of_day: bool,
) -> Result<Option<String>, AppError> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    if let Some(at) = crate::clock::parse_rfc3339(raw) {
        return Ok(Some(crate::clock::rfc3339(at)));
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(raw, &format)
        .map_err(|_| AppError::field(field, "must be an RFC 3339 time or a YYYY-MM-DD date"))?;
    let date = if end_of_day {
        date.next_day().unwrap_or(date)
    } else {
        date
    };
    Ok(Some(crate::clock::rfc3339(date.midnight().assume_utc())))
}

/// The caller's orders (admins: everyone's; vendors also see orders holding their products).
#[utoipa::path(get, path = "/api/orders", tag = "orders", security(("bearer" = [])), params(OrderListQuery),
    responses(
        (status = 200, body = ListResponse<OrderSummary>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_orders(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<OrderListQuery>,
) -> Result<Json<ListResponse<OrderSummary>>, AppError> {
    let page = PageParams {
        page: query.page,
        per_page: query.per_page,
    }
    .checked()?;
    let status = optional_filter::<OrderStatus>("status", query.status.as_deref())?;
    let filter = OrderFilter {
        status,
        from: time_bound("from", query.from.as_deref(), false)?,
        to: time_bound("to", query.to.as_deref(), true)?,
        q: query
            .q
            .map(|q| q.trim().to_string())
            .filter(|q| !q.is_empty()),
        viewer: (!user.is_admin()).then(|| user.user_id.clone()),
    };
    let (items, total) = state
        .db
        .read(move |conn| Ok(store::orders::list(conn, &filter, page)?))
        .await?;
    Ok(Json(ListResponse::new(items, total, page)))
}

/// One order with its items, totals, address, tracking number and status history.
#[utoipa::path(get, path = "/api/orders/{id}", tag = "orders", security(("bearer" = [])),
    params(("id" = String, Path, description = "order id")),
    responses(
        (status = 200, body = OrderView),
        (status = 404, description = "no such order visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_order(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Json<OrderView>, AppError> {
    let viewer = (!user.is_admin()).then(|| user.user_id.clone());
    let view = state
        .db
        .read(move |conn| service::order_view(conn, &id, viewer.as_deref()))
        .await?;
    Ok(Json(view))
}

/// Change an order's status (admin; vendors only `shipped`/`delivered` of their own goods).
#[utoipa::path(put, path = "/api/orders/{id}/status", tag = "orders", security(("bearer" = [])),
    params(("id" = String, Path, description = "order id")), request_body = StatusChange,
    responses(
        (status = 200, body = OrderView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "illegal move (`from`, `to`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_status(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Json(body): Json<StatusChange>,
) -> Result<Json<OrderView>, AppError> {
    Ok(Json(change_order_status(&state, user, ip, id, body).await?))
}

/// Moves an order to another status as staff (the handler's and the demo's way in).
pub async fn change_order_status(
    state: &AppState,
    user: AuthUser,
    ip: Option<String>,
    id: String,
    body: StatusChange,
) -> Result<OrderView, AppError> {
    // The route is guarded too; this keeps the rule for callers outside HTTP.
    user.require(&[Role::Admin, Role::Vendor])?;
    let to = body
        .status
        .parse::<OrderStatus>()
        .map_err(|e| AppError::field("status", e))?;
    let tracking_number = body.tracking_number.map(|t| t.trim().to_string());
    if tracking_number
        .as_ref()
        .is_some_and(|t| t.is_empty() || t.chars().count() > 100)
    {
        return Err(AppError::field(
            "tracking_number",
            "must be 1 to 100 characters",
        ));
    }
    let note = body.note.unwrap_or_default().trim().to_string();
    if note.chars().count() > 500 {
        return Err(AppError::field("note", "must be at most 500 characters"));
    }
    let request = StatusRequest {
        to,
        tracking_number,
        note,
    };
    let now = state.now_text();
    let view = state
        .db
        .write(move |conn| {
            let actor = Actor {
                user_id: Some(&user.user_id),
                ip: ip.as_deref(),
            };
            service::change_status(conn, &id, user.role, &actor, &request, &now)
        })
        .await?;
    crate::mail::wake(state);
    Ok(view)
}

/// Cancel a pending order (the owner or an admin); its stock is released. A paid, unshipped
/// order is refunded and cancelled: for its buyer only when every item is eligible for a
/// refund, for an admin as an audited override.
#[utoipa::path(delete, path = "/api/orders/{id}", tag = "orders", security(("bearer" = [])),
    params(("id" = String, Path, description = "order id")),
    responses(
        (status = 200, description = "the cancelled order", body = OrderView),
        (status = 409, description = "cannot be cancelled: shipped or refunded, paid by hand (staff cancel it), or (a paid order) not eligible for a refund, with the `reasons`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Json<OrderView>, AppError> {
    Ok(Json(cancel_order(&state, user, ip, id).await?))
}

/// Cancels an order for its buyer or an admin (the handler's and the demo's way in).
pub async fn cancel_order(
    state: &AppState,
    user: AuthUser,
    ip: Option<String>,
    id: String,
) -> Result<OrderView, AppError> {
    let now = state.now_text();
    // A paid order with money involved is cancelled through the refund path (payments).
    let (lookup, uid, admin) = (id.clone(), user.user_id.clone(), user.is_admin());
    let order = state
        .db
        .read(move |conn| {
            store::orders::get(conn, &lookup, None)?
                .filter(|o| admin || o.user_id == uid)
                .ok_or(AppError::NotFound("order"))
        })
        .await?;
    if order.status == OrderStatus::Paid && order.total_cents > 0 {
        let by = crate::payments::refunds::By {
            user_id: Some(user.user_id.clone()),
            ip: ip.clone(),
        };
        crate::payments::decisions::cancel_paid_order(state, &id, by, user.is_admin()).await?;
        let view = state
            .db
            .read(move |conn| service::order_view(conn, &id, None))
            .await?;
        return Ok(view);
    }
    let view = state
        .db
        .write(move |conn| {
            let order = store::orders::get(conn, &id, None)?
                .filter(|o| user.is_admin() || o.user_id == user.user_id)
                .ok_or(AppError::NotFound("order"))?;
            let actor = Actor {
                user_id: Some(&user.user_id),
                ip: ip.as_deref(),
            };
            let note = if order.user_id == user.user_id {
                SystemNote::CancelledByBuyer
            } else {
                SystemNote::CancelledByStaff
            };
            service::cancel_order(conn, &order, &actor, &note.stored(), &now)?;
            service::order_view(conn, &id, None)
        })
        .await?;
    crate::mail::wake(state);
    Ok(view)
}
