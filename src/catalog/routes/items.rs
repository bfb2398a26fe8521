//! The HTTP routes products and courses share, written once: [`item_routes!`] defines a
//! kind's `router()` and its list, get, create, update and delete handlers, each extracting
//! the request, calling `catalog::service::items` and answering.

/// Defines `router()` and the five handlers of one kind of item (see `products.rs`).
macro_rules! item_routes {
    (
        item: $item:ty, view: $view:tt, body: $body:tt, sources: $sources:expr,
        paths: $many:tt, $one:tt, cache_keys: $list_key:literal, $one_key:literal,
        conflict: $conflict:tt,
        $(#[$list_doc:meta])* list: $list:ident,
        $(#[$get_doc:meta])* get: $get:ident,
        $(#[$create_doc:meta])* create: $create:ident,
        $(#[$update_doc:meta])* update: $update:ident,
        $(#[$delete_doc:meta])* delete: $delete:ident $(,)?
    ) => {
        use axum::extract::{Path, RawQuery, State};
        use axum::http::{HeaderMap, StatusCode};
        use axum::response::Response;
        use utoipa_axum::router::OpenApiRouter;
        use utoipa_axum::routes;

        use super::common;
        use crate::state::AppState;
        use crate::auth::extract::ClientIp;
        use crate::auth::{AuthUser, MaybeUser};
        use crate::catalog::listing::ListParams;
        use crate::catalog::service::items;
        use crate::catalog::service::shared::Removal;
        use crate::catalog::service::Author;
        use crate::http::{AppError, Json, ListResponse, Problem, Query};

        pub fn router() -> OpenApiRouter<AppState> {
            OpenApiRouter::new()
                .routes(routes!($list, $create))
                .routes(routes!($get, $update, $delete))
        }

        $(#[$list_doc])*
        #[utoipa::path(get, path = $many, tag = "catalogue", params(ListParams),
            responses(
                (status = 200, body = ListResponse<$view>),
                (status = 304, description = "not modified"),
                (status = 422, body = Problem, content_type = "application/problem+json"),
            ))]
        pub async fn $list(
            State(state): State<AppState>,
            MaybeUser(user): MaybeUser,
            headers: HeaderMap,
            RawQuery(query): RawQuery,
            Query(params): Query<ListParams>,
        ) -> Result<Response, AppError> {
            let key = common::sees_public_catalogue(&user)
                .then(|| format!("{}?{}", $list_key, query.unwrap_or_default()));
            // Listed inside the read, so a cached answer skips building the query too.
            common::cached_read(&state, &headers, key, $sources, move |conn| {
                items::list::<$item>(conn, &params, &user)
            })
            .await
        }

        $(#[$get_doc])*
        #[utoipa::path(get, path = $one, tag = "catalogue",
            params(("id" = String, Path, description = "id or slug")),
            responses(
                (status = 200, body = $view),
                (status = 304, description = "not modified"),
            ))]
        pub async fn $get(
            State(state): State<AppState>,
            MaybeUser(user): MaybeUser,
            headers: HeaderMap,
            Path(key): Path<String>,
        ) -> Result<Response, AppError> {
            let cache_key =
                common::sees_public_catalogue(&user).then(|| format!("{}/{key}", $one_key));
            common::cached_read(&state, &headers, cache_key, $sources, move |conn| {
                items::get::<$item>(conn, &key, &user)
            })
            .await
        }

        $(#[$create_doc])*
        #[utoipa::path(post, path = $many, tag = "catalogue", security(("bearer" = [])),
            request_body = $body,
            responses(
                (status = 201, body = $view),
                (status = 403, body = Problem, content_type = "application/problem+json"),
                (status = 409, description = $conflict, body = Problem, content_type = "application/problem+json"),
                (status = 422, body = Problem, content_type = "application/problem+json"),
            ))]
        pub async fn $create(
            State(state): State<AppState>,
            user: AuthUser,
            ClientIp(ip): ClientIp,
            Json(body): Json<$body>,
        ) -> Result<(StatusCode, Json<$view>), AppError> {
            let view = items::create::<$item>(&state, Author::new(user, ip), body).await?;
            Ok((StatusCode::CREATED, Json(view)))
        }

        $(#[$update_doc])*
        #[utoipa::path(put, path = $one, tag = "catalogue", security(("bearer" = [])),
            params(("id" = String, Path)), request_body = $body,
            responses(
                (status = 200, body = $view),
                (status = 403, body = Problem, content_type = "application/problem+json"),
                (status = 409, body = Problem, content_type = "application/problem+json"),
                (status = 422, body = Problem, content_type = "application/problem+json"),
            ))]
        pub async fn $update(
            State(state): State<AppState>,
            user: AuthUser,
            ClientIp(ip): ClientIp,
            Path(id): Path<String>,
            Json(body): Json<$body>,
        ) -> Result<Json<$view>, AppError> {
            let view = items::update::<$item>(&state, Author::new(user, ip), id, body).await?;
            Ok(Json(view))
        }

        $(#[$delete_doc])*
        #[utoipa::path(delete, path = $one, tag = "catalogue", security(("bearer" = [])),
            params(("id" = String, Path)),
            responses(
                (status = 200, description = "archived instead", body = $view),
                (status = 204, description = "deleted"),
                (status = 403, body = Problem, content_type = "application/problem+json"),
            ))]
        pub async fn $delete(
            State(state): State<AppState>,
            user: AuthUser,
            ClientIp(ip): ClientIp,
            Path(id): Path<String>,
        ) -> Result<Removal<$view>, AppError> {
            items::delete::<$item>(&state, Author::new(user, ip), id).await
        }
    };
}

pub(super) use item_routes;
