//! Review endpoints: write and edit my review, list a course's reviews, hide one (admin).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit;
use crate::auth::{AuthUser, require_roles};
use crate::http::{AppError, Json, ListResponse, PageParams, Problem, Query};
use crate::learning::model::ReviewView;
use crate::learning::reviews;
use crate::learning::store::{courses, reviews as store};
use crate::state::AppState;
use crate::users::Role;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let admin = require_roles(
        OpenApiRouter::new().routes(routes!(hide)),
        state,
        &[Role::Admin],
    );
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(update_mine))
        .merge(admin)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// 1..=5 stars.
    pub rating: i64,
    /// At most 2,000 characters.
    #[serde(default)]
    pub comment: String,
}

/// Review a course you are enrolled in (one review per course).
#[utoipa::path(post, path = "/api/courses/{courseId}/reviews", tag = "learning", security(("bearer" = [])),
    params(("courseId" = String, Path)), request_body = ReviewRequest,
    responses(
        (status = 201, body = ReviewView),
        (status = 403, description = "not enrolled", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "already reviewed", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    Path(course_id): Path<String>,
    Json(body): Json<ReviewRequest>,
) -> Result<(StatusCode, Json<ReviewView>), AppError> {
    let (rating, comment) = reviews::validate(body.rating, &body.comment)?;
    let now = state.now_text();
    let view = state
        .db
        .write(move |conn| reviews::create(conn, &user.user_id, &course_id, rating, &comment, &now))
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Edit your review of a course.
#[utoipa::path(put, path = "/api/courses/{courseId}/reviews/mine", tag = "learning", security(("bearer" = [])),
    params(("courseId" = String, Path)), request_body = ReviewRequest,
    responses(
        (status = 200, body = ReviewView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no review yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_mine(
    State(state): State<AppState>,
    user: AuthUser,
    Path(course_id): Path<String>,
    Json(body): Json<ReviewRequest>,
) -> Result<Json<ReviewView>, AppError> {
    let (rating, comment) = reviews::validate(body.rating, &body.comment)?;
    let now = state.now_text();
    let view = state
        .db
        .write(move |conn| {
            reviews::update_mine(conn, &user.user_id, &course_id, rating, &comment, &now)
        })
        .await?;
    Ok(Json(view))
}

/// A course's visible reviews, newest first (public; reviewers by name only).
#[utoipa::path(get, path = "/api/courses/{courseId}/reviews", tag = "learning",
    params(("courseId" = String, Path), PageParams),
    responses(
        (status = 200, body = ListResponse<ReviewView>),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Path(course_id): Path<String>,
    Query(params): Query<PageParams>,
) -> Result<Json<ListResponse<ReviewView>>, AppError> {
    let page = params.checked()?;
    let list = state
        .db
        .read(move |conn| {
            courses::course(conn, &course_id)?.ok_or(AppError::NotFound("course"))?;
            let (items, total) =
                store::visible_for_course(conn, &course_id, page.limit(), page.offset())?;
            Ok(ListResponse::new(items, total, page))
        })
        .await?;
    Ok(Json(list))
}

/// Hide a review from the list and the course rating (admin).
#[utoipa::path(post, path = "/api/admin/reviews/{id}/hide", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = ReviewView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn hide(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Json<ReviewView>, AppError> {
    let now = state.now_text();
    let view = state
        .db
        .write(move |conn| {
            let view = reviews::hide(conn, &id, &now)?;
            audit::store::record(
                conn,
                &now,
                &audit::Entry {
                    actor_id: Some(&user.user_id),
                    action: "review.hidden",
                    target_type: Some("review"),
                    target_id: Some(&id),
                    ip: None,
                    detail: Some(serde_json::json!({ "course_id": view.course_id })),
                },
            )?;
            Ok(view)
        })
        .await?;
    Ok(Json(view))
}
