//! The OpenAPI description, collected from the handlers' annotations as routes are merged.

use axum::Router;
use axum::routing::get;
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "schoolhouse API",
        description = "A self-hosted shop and school. Errors are RFC 9457 problem+json documents; \
                       lists are `{items, total, page, per_page}`; money is integer cents.",
    ),
    modifiers(&BearerScheme),
    components(schemas(crate::http::Problem, crate::http::FieldError)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Registration, login, tokens and first-start setup"),
        (name = "users", description = "The caller's own account"),
        (name = "i18n", description = "Languages: the negotiated locale and the available ones"),
        (name = "learning", description = "Enrolment, progress, quizzes, assignments, certificates and reviews"),
        (name = "cart", description = "The caller's server-side cart, priced like checkout"),
        (name = "orders", description = "Checkout, order history and order status"),
        (name = "coupons", description = "Discount codes (admin)"),
        (name = "catalogue", description = "Products, courses, categories and tags"),
        (name = "course content", description = "Sections, lessons and quiz questions of a course"),
        (name = "media", description = "Uploaded files, served with Range support and signed URLs"),
        (name = "admin", description = "Administration (admin role only)"),
        (name = "analytics", description = "Sales, course and user reports (admins; instructors and vendors for their own items)"),
        (name = "audit", description = "The audit log and the error log (admin)"),
        (name = "privacy", description = "Personal-data export and account erasure"),
        (name = "backups", description = "Backup archives (admins)"),
        (name = "payments", description = "Paying orders: Stripe, manual payments, webhooks"),
        (name = "refunds", description = "Refund requests, eligibility and staff decisions"),
        (name = "memberships", description = "Membership plans, payment plans and members (Stripe Billing or manual)"),
        (name = "invoices", description = "Invoices and credit notes: PDFs as archived, the admin list and period ZIP"),
        (name = "settings", description = "Public store settings for the web UI"),
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
    let (router, mut doc) = router.split_for_parts();
    add_common_responses(&mut doc);
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

fn problem(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

/// Documents the problem responses that shared extractors and layers produce for every
/// operation of a kind, so handlers list only their own domain errors.
fn add_common_responses(doc: &mut utoipa::openapi::OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let rate_limited = path.starts_with("/api/auth/") || path == "/api/setup";
        let operations = [
            item.get.as_mut(),
            item.put.as_mut(),
            item.post.as_mut(),
            item.delete.as_mut(),
            item.patch.as_mut(),
        ];
        for operation in operations.into_iter().flatten() {
            let mut add = |status: &str, description: &str| {
                operation
                    .responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| problem(description));
            };
            if path.contains('{') {
                add("404", "no such resource, or not yours");
            }
            if operation.request_body.is_some() {
                add("400", "the body is not valid JSON");
                add("413", "the body is larger than the limit");
                add("415", "the body is not `application/json`");
                add("422", "a field is missing or invalid; `errors` names it");
            }
            let has_query = operation
                .parameters
                .iter()
                .flatten()
                .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
            if has_query {
                add("400", "a query parameter has the wrong type");
                add(
                    "422",
                    "a query parameter is out of range; `errors` names it",
                );
            }
            let needs_auth = operation
                .security
                .as_ref()
                .is_some_and(|s| !s.is_empty() && s.iter().any(|r| r != &Default::default()));
            if needs_auth {
                add("401", "missing, invalid or expired access token");
            }
            if rate_limited {
                add("429", "too many attempts; see `Retry-After`");
            }
            add("503", "the database is busy or the server is shutting down");
        }
    }
}
