//! `/api/admin/backups`: list, create and download backup archives (admins only).

use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tower::ServiceExt;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::backup::BackupEntry;
use super::schedule::{self, BackupState};
use crate::app::AppState;
use crate::auth::require_roles;
use crate::http::{AppError, Json, Problem};
use crate::users::Role;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    require_roles(
        OpenApiRouter::new()
            .routes(routes!(list_backups, create_backup))
            .routes(routes!(download_backup)),
        state,
        &[Role::Admin],
    )
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BackupList {
    pub items: Vec<BackupEntry>,
    pub total: usize,
    /// The last backup's time and verification result.
    pub state: BackupState,
}

/// Archives in the backups directory, newest first, with the last outcome.
#[utoipa::path(get, path = "/api/admin/backups", tag = "backups", security(("bearer" = [])),
    responses(
        (status = 200, body = BackupList),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_backups(State(state): State<AppState>) -> Result<Json<BackupList>, AppError> {
    let config = state.config.clone();
    let (items, backup_state) = state
        .blocking(move || {
            schedule::list(&config).map(|items| (items, schedule::load_state(&config.data_dir)))
        })
        .await?
        .map_err(AppError::Internal)?;
    Ok(Json(BackupList {
        total: items.len(),
        items,
        state: backup_state,
    }))
}

/// Takes a backup now (the server keeps serving), verifies it and applies retention.
#[utoipa::path(post, path = "/api/admin/backups", tag = "backups", security(("bearer" = [])),
    responses(
        (status = 201, body = BackupEntry),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_backup(
    State(state): State<AppState>,
) -> Result<(StatusCode, Json<BackupEntry>), AppError> {
    let entry = schedule::tick(&state).await.map_err(AppError::Internal)?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// Downloads one archive. It holds the secrets: keep it as safe as the server.
#[utoipa::path(get, path = "/api/admin/backups/{name}", tag = "backups", security(("bearer" = [])),
    params(("name" = String, Path, description = "archive file name")),
    responses(
        (status = 200, content_type = "application/zip", description = "the archive"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn download_backup(
    State(state): State<AppState>,
    Path(name): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let path = schedule::find(&state.config, &name).ok_or(AppError::NotFound("backup"))?;
    let served = tower_http::services::ServeFile::new(&path)
        .oneshot(request)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut response = served.into_response();
    if response.status().is_success()
        && let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
