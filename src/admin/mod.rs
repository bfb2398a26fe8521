//! The admin area: `/api/admin/*`, every route guarded to the admin role where it is declared.

pub mod audit_routes;
pub mod settings;
pub mod store;
pub mod users;

use utoipa_axum::router::OpenApiRouter;

use crate::auth::require_roles;
use crate::state::AppState;
use crate::users::Role;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    require_roles(
        users::router().merge(settings::router()),
        state,
        &[Role::Admin],
    )
}
