//! HTTP endpoints of learning, one file per area, merged here.

mod assignments;
mod certificates;
mod enrollment;
mod progress;
mod quiz;
mod reviews;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(enrollment::router())
        .merge(progress::router())
        .merge(quiz::router())
        .merge(assignments::router())
        .merge(certificates::router())
        .merge(reviews::router(state))
}
