//! `/api/courses/:courseId/sections`: authoring a course's sections (owner and admins).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::audit::{self as catalog_audit, Change};
use super::common::{self, COURSE_AUTHORS};
use crate::auth::AuthUser;
use crate::auth::extract::ClientIp;
use crate::catalog::model::{Course, Section};
use crate::catalog::outline::{self, Access, Render, SectionView};
use crate::catalog::store::{self, courses as cstore, outline as ostore};
use crate::catalog::validate::short_text;
use crate::http::{AppError, FieldError, Json, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sections, create_section))
        .routes(routes!(update_section, delete_section))
        .routes(routes!(reorder_sections))
}

/// The course if `user` may author it; someone else's course is a 404.
pub(super) fn managed_course(
    conn: &rusqlite::Connection,
    course_id: &str,
    user: &AuthUser,
) -> Result<Course, AppError> {
    let caller = Some(user.clone());
    cstore::get(conn, course_id)?
        .filter(|c| c.id == course_id && common::may_manage(&caller, &c.instructor_id))
        .ok_or(AppError::NotFound("course"))
}

/// The authoring outline: every section with its lessons (no content).
pub(super) fn authoring_sections(
    conn: &rusqlite::Connection,
    course_id: &str,
) -> Result<Vec<SectionView>, AppError> {
    let sections = ostore::sections(conn, course_id)?;
    let lessons = ostore::lessons(conn, course_id)?;
    let render = Render {
        access: Access::Manager,
        now: time::OffsetDateTime::now_utc(),
        with_content: false,
        sign: &|_| String::new(),
    };
    Ok(outline::sections_view(
        &sections,
        &lessons,
        &HashMap::new(),
        &render,
    ))
}

/// Checks that `given` is exactly a reordering of `current`.
pub(super) fn check_permutation(
    field: &str,
    given: &[String],
    current: &[String],
) -> Result<(), AppError> {
    let mut a = given.to_vec();
    let mut b = current.to_vec();
    a.sort();
    b.sort();
    if a == b {
        Ok(())
    } else {
        Err(AppError::Validation(vec![FieldError::new(
            field,
            "must list every current id exactly once, in the new order",
        )]))
    }
}

/// Sections of a course with their lessons (authoring view).
#[utoipa::path(get, path = "/api/courses/{course_id}/sections", tag = "course content",
    security(("bearer" = [])), params(("course_id" = String, Path)),
    responses(
        (status = 200, body = Vec<SectionView>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_sections(
    State(state): State<AppState>,
    user: AuthUser,
    Path(course_id): Path<String>,
) -> Result<Json<Vec<SectionView>>, AppError> {
    user.require(COURSE_AUTHORS)?;
    let sections = state
        .db
        .read(move |conn| {
            managed_course(conn, &course_id, &user)?;
            authoring_sections(conn, &course_id)
        })
        .await?;
    Ok(Json(sections))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionBody {
    pub title: String,
}

/// Add a section at the end of the course.
#[utoipa::path(post, path = "/api/courses/{course_id}/sections", tag = "course content",
    security(("bearer" = [])), params(("course_id" = String, Path)), request_body = SectionBody,
    responses(
        (status = 201, body = SectionView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_section(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(course_id): Path<String>,
    Json(body): Json<SectionBody>,
) -> Result<(StatusCode, Json<SectionView>), AppError> {
    user.require(COURSE_AUTHORS)?;
    let title = short_text(&body.title, "title", 200)?;
    let now = state.now_text();
    let view = state
        .db
        .write(move |conn| {
            managed_course(conn, &course_id, &user)?;
            let section = Section {
                id: uuid::Uuid::now_v7().to_string(),
                course_id: course_id.clone(),
                title: title.clone(),
                position: 0,
                created_at: now.clone(),
                updated_at: now.clone(),
            };
            let position = ostore::insert_section(conn, &section)?;
            catalog_audit::record(
                conn,
                &section.created_at,
                &user,
                ip.as_deref(),
                Change::new("section.created", "section", &section.id).after(
                    serde_json::json!({"course_id": section.course_id, "title": section.title}),
                ),
            )?;
            Ok(SectionView {
                id: section.id,
                title: section.title,
                position,
                lessons: Vec::new(),
            })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Rename a section.
#[utoipa::path(put, path = "/api/courses/{course_id}/sections/{section_id}", tag = "course content",
    security(("bearer" = [])),
    params(("course_id" = String, Path), ("section_id" = String, Path)), request_body = SectionBody,
    responses(
        (status = 200, body = SectionView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_section(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path((course_id, section_id)): Path<(String, String)>,
    Json(body): Json<SectionBody>,
) -> Result<Json<SectionView>, AppError> {
    user.require(COURSE_AUTHORS)?;
    let title = short_text(&body.title, "title", 200)?;
    let now = state.now_text();
    let view = state
        .db
        .write(move |conn| {
            managed_course(conn, &course_id, &user)?;
            let old = ostore::section(conn, &course_id, &section_id)?
                .ok_or(AppError::NotFound("section"))?;
            ostore::rename_section(conn, &section_id, &title, &now)?;
            catalog_audit::record(
                conn,
                &now,
                &user,
                ip.as_deref(),
                Change::new("section.updated", "section", &section_id)
                    .before(serde_json::json!({"title": old.title}))
                    .after(serde_json::json!({"title": title})),
            )?;
            authoring_sections(conn, &course_id)?
                .into_iter()
                .find(|s| s.id == section_id)
                .ok_or(AppError::NotFound("section"))
        })
        .await?;
    Ok(Json(view))
}

/// Delete a section with its lessons; the others close ranks.
#[utoipa::path(delete, path = "/api/courses/{course_id}/sections/{section_id}", tag = "course content",
    security(("bearer" = [])),
    params(("course_id" = String, Path), ("section_id" = String, Path)),
    responses(
        (status = 204, description = "deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "learners have progress in its lessons", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_section(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path((course_id, section_id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    user.require(COURSE_AUTHORS)?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            managed_course(conn, &course_id, &user)?;
            let old = ostore::section(conn, &course_id, &section_id)?
                .ok_or(AppError::NotFound("section"))?;
            ostore::delete_section(conn, &course_id, &section_id).map_err(|e| {
                if store::is_foreign_key_violation(&e) {
                    AppError::conflict("learners have records in this section's lessons")
                } else {
                    AppError::from(e)
                }
            })?;
            catalog_audit::record(
                conn,
                &now,
                &user,
                ip.as_deref(),
                Change::new("section.deleted", "section", &section_id)
                    .before(serde_json::json!({"course_id": course_id, "title": old.title})),
            )?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReorderSections {
    /// Every section id of the course, in the new order.
    pub section_ids: Vec<String>,
}

/// Put the sections in a new order.
#[utoipa::path(post, path = "/api/courses/{course_id}/sections/reorder", tag = "course content",
    security(("bearer" = [])), params(("course_id" = String, Path)), request_body = ReorderSections,
    responses(
        (status = 200, body = Vec<SectionView>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reorder_sections(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(course_id): Path<String>,
    Json(body): Json<ReorderSections>,
) -> Result<Json<Vec<SectionView>>, AppError> {
    user.require(COURSE_AUTHORS)?;
    let now = state.now_text();
    let sections = state
        .db
        .write(move |conn| {
            managed_course(conn, &course_id, &user)?;
            let current: Vec<String> = ostore::sections(conn, &course_id)?
                .into_iter()
                .map(|s| s.id)
                .collect();
            check_permutation("section_ids", &body.section_ids, &current)?;
            ostore::set_section_order(conn, &body.section_ids)?;
            catalog_audit::record(
                conn,
                &now,
                &user,
                ip.as_deref(),
                Change::new("course.sections_reordered", "course", &course_id)
                    .before(serde_json::json!({"section_ids": current}))
                    .after(serde_json::json!({"section_ids": body.section_ids})),
            )?;
            authoring_sections(conn, &course_id)
        })
        .await?;
    Ok(Json(sections))
}
