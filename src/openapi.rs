//! The OpenAPI description, collected from the handlers' annotations as routes are merged.

use axum::Router;
use axum::routing::get;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "schoolhouse API",
        description = "A self-hosted shop and school. Errors are RFC 9457 problem+json documents; \
                       lists are `{items, total, page, per_page}`; money is integer cents.",
    ),
    modifiers(&BearerScheme),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Registration, login, tokens and first-start setup"),
        (name = "users", description = "The caller's own account"),
        (name = "backups", description = "Backup archives (admins)"),
    )
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("JWT".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// Splits the documented router into the axum router (plus `/api/openapi.json`) and the
/// document itself.
pub fn finish(router: OpenApiRouter<AppState>) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, doc) = router.split_for_parts();
    let json = doc.to_pretty_json().unwrap_or_else(|_| "{}".into());
    let router = router.route(
        "/api/openapi.json",
        get(move || {
            let json = json.clone();
            async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    json,
                )
            }
        }),
    );
    (router, doc)
}

/// The whole document, for `schoolhouse openapi` and tests.
pub fn document(state: &AppState) -> utoipa::openapi::OpenApi {
    crate::app::api_router(state).into_openapi()
}
