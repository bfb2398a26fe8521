//! `/api/cart`: the caller's server-side cart.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::model::{
    AddToCart, CartItemView, CartQuery, CartRow, CartView, CatalogItem, UpdateCartItem,
    check_quantity, normalize_country,
};
use super::service::{self, PriceChoice};
use super::store;
use crate::auth::AuthUser;
use crate::http::{AppError, Json, Problem, Query};
use crate::i18n::problems::RequestLocale;
use crate::state::AppState;

pub fn router(_state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_cart, add_to_cart))
        .routes(routes!(update_cart_item, remove_cart_item))
}

fn item_view(row: &CartRow, item: CatalogItem) -> CartItemView {
    CartItemView {
        id: row.id.clone(),
        item_type: row.item_type,
        item_id: row.item_id.clone(),
        name: item.name,
        quantity: row.quantity,
        unit_price_cents: item.price_cents,
        line_total_cents: item.price_cents.saturating_mul(row.quantity),
        available: true,
        kind: Some(item.kind.into()),
        // The full list is in `GET /api/cart`.
        includes: Vec::new(),
    }
}

/// The cart priced as checkout would price it (coupon, tax and shipping included).
#[utoipa::path(get, path = "/api/cart", tag = "cart", security(("bearer" = [])), params(CartQuery),
    responses(
        (status = 200, body = CartView),
        (status = 422, description = "invalid coupon, country or shipping method", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_cart(
    State(state): State<AppState>,
    user: AuthUser,
    locale: RequestLocale,
    Query(query): Query<CartQuery>,
) -> Result<Json<CartView>, AppError> {
    let country =
        match query.country.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(raw) => Some(normalize_country(raw).ok_or_else(|| {
                AppError::field("country", "must be a two-letter ISO 3166-1 code")
            })?),
            None => None,
        };
    let (config, user_id, now) = (state.config.clone(), user.user_id.clone(), state.now());
    let locale = locale.code();
    let (view, seen) = state
        .db
        .read(move |conn| {
            let choice = PriceChoice {
                coupon_code: query.coupon_code.as_deref(),
                country,
                country_field: "country",
                shipping_method: query.shipping_method.as_deref().filter(|m| !m.is_empty()),
                estimate: true,
                tax: None,
            };
            service::cart_view(conn, &config, &user_id, &choice, now, &locale)
        })
        .await?;
    if !seen.is_empty() {
        state
            .db
            .write(move |conn| {
                for (id, price) in &seen {
                    store::cart::mark_seen(conn, id, *price)?;
                }
                Ok(())
            })
            .await?;
    }
    Ok(Json(view))
}

/// Add an item; adding one already in the cart raises its quantity.
#[utoipa::path(post, path = "/api/cart", tag = "cart", security(("bearer" = [])), request_body = AddToCart,
    responses(
        (status = 201, body = CartItemView),
        (status = 404, description = "no such product or course", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "not for sale, already enrolled, or not enough stock (`available`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_to_cart(
    State(state): State<AppState>,
    user: AuthUser,
    Json(body): Json<AddToCart>,
) -> Result<(StatusCode, Json<CartItemView>), AppError> {
    Ok((
        StatusCode::CREATED,
        Json(add_item(&state, user, body).await?),
    ))
}

/// Adds an item to `user`'s cart (the handler's and the demo's way in).
pub async fn add_item(
    state: &AppState,
    user: AuthUser,
    body: AddToCart,
) -> Result<CartItemView, AppError> {
    let quantity = body.quantity.unwrap_or(1);
    check_quantity(quantity).map_err(|e| AppError::Validation(vec![e]))?;
    let item_id = body.item_id.trim().to_string();
    if item_id.is_empty() {
        return Err(AppError::field("item_id", "is required"));
    }
    let (user_id, now) = (user.user_id.clone(), state.now_text());
    let view = state
        .db
        .write(move |conn| {
            let existing = store::cart::find(conn, &user_id, body.item_type, &item_id)?;
            if existing.is_some() && body.item_type == super::model::ItemType::Course {
                return Err(AppError::conflict_on(
                    "item_id",
                    "this course is already in your cart",
                ));
            }
            let total = existing.as_ref().map_or(0, |e| e.quantity) + quantity;
            check_quantity(total).map_err(|e| AppError::Validation(vec![e]))?;
            let item = service::check_cart_line(conn, &user_id, body.item_type, &item_id, total)?;
            let row = match existing {
                Some(mut row) => {
                    store::cart::update(conn, &row.id, total, item.price_cents, &now)?;
                    row.quantity = total;
                    row
                }
                None => {
                    let row = CartRow {
                        id: uuid::Uuid::now_v7().to_string(),
                        item_type: body.item_type,
                        item_id: item.id.clone(),
                        quantity: total,
                        price_seen_cents: item.price_cents,
                    };
                    store::cart::insert(conn, &user_id, &row, &now)?;
                    row
                }
            };
            Ok(item_view(&row, item))
        })
        .await?;
    Ok(view)
}

/// Set the quantity of one of the caller's cart lines.
#[utoipa::path(patch, path = "/api/cart/{item_id}", tag = "cart", security(("bearer" = [])),
    params(("item_id" = String, Path, description = "cart line id")), request_body = UpdateCartItem,
    responses(
        (status = 200, body = CartItemView),
        (status = 404, description = "not a line of the caller's cart", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "not enough stock (`available`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_cart_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(item_id): Path<String>,
    Json(body): Json<UpdateCartItem>,
) -> Result<Json<CartItemView>, AppError> {
    check_quantity(body.quantity).map_err(|e| AppError::Validation(vec![e]))?;
    let (user_id, now) = (user.user_id.clone(), state.now_text());
    let view = state
        .db
        .write(move |conn| {
            let mut row = store::cart::get(conn, &user_id, &item_id)?
                .ok_or(AppError::NotFound("cart item"))?;
            let item = service::check_cart_line(
                conn,
                &user_id,
                row.item_type,
                &row.item_id,
                body.quantity,
            )?;
            store::cart::update(conn, &row.id, body.quantity, item.price_cents, &now)?;
            row.quantity = body.quantity;
            Ok(item_view(&row, item))
        })
        .await?;
    Ok(Json(view))
}

/// Remove one of the caller's cart lines.
#[utoipa::path(delete, path = "/api/cart/{item_id}", tag = "cart", security(("bearer" = [])),
    params(("item_id" = String, Path, description = "cart line id")),
    responses(
        (status = 204, description = "removed"),
        (status = 404, description = "not a line of the caller's cart", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn remove_cart_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(item_id): Path<String>,
) -> Result<StatusCode, AppError> {
    let user_id = user.user_id.clone();
    state
        .db
        .write(move |conn| {
            if store::cart::delete(conn, &user_id, &item_id)? {
                Ok(())
            } else {
                Err(AppError::NotFound("cart item"))
            }
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
