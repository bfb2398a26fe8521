//! `/api/admin/coupons`: discount codes, managed by admins.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::coupons::{CouponInput, CouponView};
use super::store::coupons as store;
use crate::audit;
use crate::auth::extract::ClientIp;
use crate::auth::{AuthUser, require_roles};
use crate::http::error::is_unique_violation;
use crate::http::{AppError, Json, ListResponse, PageParams, Problem, Query};
use crate::state::AppState;
use crate::users::Role;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    require_roles(
        OpenApiRouter::new()
            .routes(routes!(list_coupons, create_coupon))
            .routes(routes!(get_coupon, update_coupon, delete_coupon)),
        state,
        &[Role::Admin],
    )
}

fn code_taken(e: rusqlite::Error) -> AppError {
    if is_unique_violation(&e, "coupons.code") {
        AppError::conflict_on("code", "a coupon with this code already exists")
    } else {
        e.into()
    }
}

fn record(
    conn: &rusqlite::Connection,
    now: &str,
    user: &AuthUser,
    ip: Option<&str>,
    action: &str,
    id: &str,
    code: &str,
) -> Result<(), AppError> {
    audit::store::record(
        conn,
        now,
        &audit::Entry {
            actor_id: Some(&user.user_id),
            action,
            target_type: Some("coupon"),
            target_id: Some(id),
            ip,
            detail: Some(serde_json::json!({ "code": code })),
        },
    )?;
    Ok(())
}

/// Every coupon with its redemption count.
#[utoipa::path(get, path = "/api/admin/coupons", tag = "coupons", security(("bearer" = [])), params(PageParams),
    responses(
        (status = 200, body = ListResponse<CouponView>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_coupons(
    State(state): State<AppState>,
    Query(params): Query<PageParams>,
) -> Result<Json<ListResponse<CouponView>>, AppError> {
    let page = params.checked()?;
    let (items, total) = state
        .db
        .read(move |conn| Ok(store::list(conn, page)?))
        .await?;
    Ok(Json(ListResponse::new(
        items.iter().map(CouponView::from).collect(),
        total,
        page,
    )))
}

/// Create a coupon (codes are case-insensitive and stored upper-case).
#[utoipa::path(post, path = "/api/admin/coupons", tag = "coupons", security(("bearer" = [])), request_body = CouponInput,
    responses(
        (status = 201, body = CouponView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "code taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_coupon(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Json(body): Json<CouponInput>,
) -> Result<(StatusCode, Json<CouponView>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(create(&state, user, ip, body).await?),
    ))
}

/// Creates a coupon as `user` (the handler's and the demo's way in).
pub async fn create(
    state: &AppState,
    user: AuthUser,
    ip: Option<String>,
    body: CouponInput,
) -> Result<CouponView, AppError> {
    // The route is guarded too; this keeps the rule for callers outside HTTP.
    user.require(&[Role::Admin])?;
    let coupon = body.to_coupon()?;
    let (id, now) = (uuid::Uuid::now_v7().to_string(), state.now_text());
    let created = state
        .db
        .write(move |conn| {
            store::insert(conn, &id, &coupon, &now).map_err(code_taken)?;
            record(
                conn,
                &now,
                &user,
                ip.as_deref(),
                "coupon.created",
                &id,
                &coupon.code,
            )?;
            store::get(conn, &id)?.ok_or(AppError::NotFound("coupon"))
        })
        .await?;
    Ok(CouponView::from(&created))
}

/// One coupon.
#[utoipa::path(get, path = "/api/admin/coupons/{id}", tag = "coupons", security(("bearer" = [])),
    params(("id" = String, Path, description = "coupon id")),
    responses(
        (status = 200, body = CouponView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_coupon(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CouponView>, AppError> {
    let found = state
        .db
        .read(move |conn| store::get(conn, &id)?.ok_or(AppError::NotFound("coupon")))
        .await?;
    Ok(Json(CouponView::from(&found)))
}

/// Replace a coupon's definition (redemptions so far are kept).
#[utoipa::path(put, path = "/api/admin/coupons/{id}", tag = "coupons", security(("bearer" = [])),
    params(("id" = String, Path, description = "coupon id")), request_body = CouponInput,
    responses(
        (status = 200, body = CouponView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "code taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_coupon(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Json(body): Json<CouponInput>,
) -> Result<Json<CouponView>, AppError> {
    let coupon = body.to_coupon()?;
    let now = state.now_text();
    let updated = state
        .db
        .write(move |conn| {
            if !store::update(conn, &id, &coupon, &now).map_err(code_taken)? {
                return Err(AppError::NotFound("coupon"));
            }
            record(
                conn,
                &now,
                &user,
                ip.as_deref(),
                "coupon.updated",
                &id,
                &coupon.code,
            )?;
            store::get(conn, &id)?.ok_or(AppError::NotFound("coupon"))
        })
        .await?;
    Ok(Json(CouponView::from(&updated)))
}

/// Delete a coupon; orders keep the code they were placed with.
#[utoipa::path(delete, path = "/api/admin/coupons/{id}", tag = "coupons", security(("bearer" = [])),
    params(("id" = String, Path, description = "coupon id")),
    responses(
        (status = 204, description = "deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_coupon(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let found = store::get(conn, &id)?.ok_or(AppError::NotFound("coupon"))?;
            store::delete(conn, &id)?;
            record(
                conn,
                &now,
                &user,
                ip.as_deref(),
                "coupon.deleted",
                &id,
                &found.coupon.code,
            )
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
