//! `/api/courses`: the school's courses.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::audit::{self as catalog_audit, Change};
use super::common::{self, COURSE_AUTHORS, Refs, Removal};
use crate::auth::extract::ClientIp;
use crate::auth::{AuthUser, MaybeUser};
use crate::catalog::cache::COURSE_SOURCES;
use crate::catalog::listing::{self, ListParams, Target};
use crate::catalog::model::{Course, CourseView, Level, Status};
use crate::catalog::store::{self, Table, TagLink, courses as cstore};
use crate::catalog::validate::{CourseBody, CourseDraft};
use crate::http::{AppError, Json, ListResponse, Problem, Query};
use crate::state::AppState;
use crate::users::Role;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_courses, create_course))
        .routes(routes!(get_course, update_course, delete_course))
}

/// List courses: filters, sort, full-text search. Sends a weak ETag.
#[utoipa::path(get, path = "/api/courses", tag = "catalogue", params(ListParams),
    responses(
        (status = 200, body = ListResponse<CourseView>),
        (status = 304, description = "not modified"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_courses(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    Query(params): Query<ListParams>,
) -> Result<Response, AppError> {
    let key = common::sees_public_catalogue(&user)
        .then(|| format!("courses?{}", query.unwrap_or_default()));
    // Built inside the read, so a cached answer skips it: only a query that built once was
    // stored under its key.
    common::cached_read(&state, &headers, key, COURSE_SOURCES, move |conn| {
        let sql = listing::build(
            &params,
            Target::Courses,
            &common::viewer(&user, Role::Instructor),
        )?;
        let page = sql.page;
        let (items, total) = cstore::list(conn, &sql)?;
        Ok(ListResponse::new(
            common::course_views(conn, items)?,
            total,
            page,
        ))
    })
    .await
}

/// One course by id or slug (drafts only for their instructor and admins).
#[utoipa::path(get, path = "/api/courses/{id}", tag = "catalogue",
    params(("id" = String, Path, description = "id or slug")),
    responses(
        (status = 200, body = CourseView),
        (status = 304, description = "not modified"),
    ))]
pub async fn get_course(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let cache_key = common::sees_public_catalogue(&user).then(|| format!("course/{key}"));
    common::cached_read(&state, &headers, cache_key, COURSE_SOURCES, move |conn| {
        let course = cstore::get(conn, &key)?
            .filter(|c| {
                c.status == Status::Published || common::may_manage(&user, &c.instructor_id)
            })
            .ok_or(AppError::NotFound("course"))?;
        one_view(conn, course)
    })
    .await
}

fn one_view(conn: &rusqlite::Connection, course: Course) -> Result<CourseView, AppError> {
    common::course_views(conn, vec![course])?
        .pop()
        .ok_or(AppError::NotFound("course"))
}

fn save(
    conn: &rusqlite::Connection,
    draft: &CourseDraft,
    course: &mut Course,
    user: &AuthUser,
    is_new: bool,
) -> Result<CourseView, AppError> {
    common::check_refs(
        conn,
        &Refs {
            category_id: draft.category_id.as_deref(),
            tag_ids: &draft.tag_ids,
            media: vec![(
                "cover_media_id",
                draft.cover_media_id.iter().cloned().collect(),
            )],
        },
        user,
    )?;
    let current = (!is_new).then(|| course.slug.clone());
    course.slug = common::choose_slug(
        conn,
        Table::Courses,
        draft.slug.as_deref(),
        current.as_deref(),
        &draft.title,
        &course.id,
    )?;
    course.title = draft.title.clone();
    course.description = draft.description.clone();
    course.price_cents = draft.price_cents;
    course.category_id = draft.category_id.clone();
    course.cover_media_id = draft.cover_media_id.clone();
    course.level = draft.level;
    course.status = draft.status;
    let written = if is_new {
        cstore::insert(conn, course)
    } else {
        cstore::update(conn, course)
    };
    written.map_err(|e| common::unique_conflict(e, "courses"))?;
    store::set_tags(conn, TagLink::Courses, &course.id, &draft.tag_ids)?;
    let stored = cstore::get(conn, &course.id)?.ok_or(AppError::NotFound("course"))?;
    one_view(conn, stored)
}

/// Create a course (admins and instructors); the caller is its instructor.
#[utoipa::path(post, path = "/api/courses", tag = "catalogue", security(("bearer" = [])),
    request_body = CourseBody,
    responses(
        (status = 201, body = CourseView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "slug taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_course(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Json(body): Json<CourseBody>,
) -> Result<(StatusCode, Json<CourseView>), AppError> {
    user.require(COURSE_AUTHORS)?;
    let draft = CourseDraft::create(body)?;
    let now = state.now_text();
    let course = Course {
        id: uuid::Uuid::now_v7().to_string(),
        instructor_id: user.user_id.clone(),
        instructor_name: String::new(),
        title: String::new(),
        slug: String::new(),
        description: String::new(),
        price_cents: 0,
        currency: state.config.store.currency.clone(),
        category_id: None,
        cover_media_id: None,
        level: Level::All,
        status: Status::Draft,
        rating_sum: 0,
        rating_count: 0,
        enrollment_count: 0,
        lesson_count: 0,
        total_duration_seconds: 0,
        created_at: now.clone(),
        updated_at: now,
    };
    let view = state
        .db
        .write(move |conn| {
            let mut course = course.clone();
            let view = save(conn, &draft, &mut course, &user, true)?;
            let change =
                Change::new("course.created", "course", &course.id).after(summary(&course));
            catalog_audit::record(conn, &course.created_at, &user, ip.as_deref(), change)?;
            Ok(view)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Update a course (admins, or its instructor; other instructors get 404). Send any fields.
#[utoipa::path(put, path = "/api/courses/{id}", tag = "catalogue", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = CourseBody,
    responses(
        (status = 200, body = CourseView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_course(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Json(body): Json<CourseBody>,
) -> Result<Json<CourseView>, AppError> {
    user.require(COURSE_AUTHORS)?;
    let now = state.now_text();
    let view = state
        .db
        .write(move |conn| {
            let caller = Some(user.clone());
            let mut course = cstore::get(conn, &id)?
                .filter(|c| common::may_manage(&caller, &c.instructor_id))
                .ok_or(AppError::NotFound("course"))?;
            let tag_ids =
                store::tags_for(conn, TagLink::Courses, std::slice::from_ref(&course.id))?
                    .remove(&course.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|t| t.id)
                    .collect();
            let mut draft = CourseDraft::from_existing(&course, tag_ids);
            draft.apply(body.clone())?;
            let before = summary(&course);
            course.updated_at = now.clone();
            let view = save(conn, &draft, &mut course, &user, false)?;
            let change = Change::new("course.updated", "course", &course.id)
                .before(before)
                .after(summary(&course));
            catalog_audit::record(conn, &now, &user, ip.as_deref(), change)?;
            Ok(view)
        })
        .await?;
    Ok(Json(view))
}

/// Delete a course (admins). A course anyone is or was enrolled in is archived instead (200
/// with the archived course); otherwise it goes with its sections and lessons (204).
#[utoipa::path(delete, path = "/api/courses/{id}", tag = "catalogue", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "archived instead", body = CourseView),
        (status = 204, description = "deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_course(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Removal<CourseView>, AppError> {
    user.require(&[Role::Admin])?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let course = cstore::get(conn, &id)?.ok_or(AppError::NotFound("course"))?;
            let archived = common::delete_or_archive(
                cstore::has_enrollments(conn, &course.id)?,
                || cstore::delete(conn, &course.id),
                || cstore::set_status(conn, &course.id, Status::Archived, &now),
            )?;
            let action = if archived {
                "course.archived"
            } else {
                "course.deleted"
            };
            let change = Change::new(action, "course", &course.id).before(summary(&course));
            catalog_audit::record(conn, &now, &user, ip.as_deref(), change)?;
            if !archived {
                return Ok(Removal::Deleted);
            }
            let stored = cstore::get(conn, &course.id)?.ok_or(AppError::NotFound("course"))?;
            Ok(Removal::Archived(Box::new(one_view(conn, stored)?)))
        })
        .await
}

/// What the audit log keeps of a course before and after a change.
fn summary(c: &Course) -> serde_json::Value {
    serde_json::json!({
        "title": c.title,
        "price_cents": c.price_cents,
        "status": c.status.as_str(),
    })
}
