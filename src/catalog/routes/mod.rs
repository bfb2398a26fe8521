//! HTTP routes of the catalogue, one file per area.

pub mod captions;
mod common;
pub mod courses;
mod items;
pub mod lesson_authoring;
pub mod lessons;
pub mod media;
mod media_delivery;
pub mod products;
pub mod sections;
pub mod taxonomy;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(products::router())
        .merge(courses::router())
        .merge(sections::router())
        .merge(lessons::router())
        .merge(taxonomy::router())
        .merge(media::router(state))
        .merge(captions::router(state))
        .merge(crate::catalog::bundles::routes::router())
}
