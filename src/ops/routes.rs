//! `/api/admin/backups`: list, create and download backup archives (admins only), and the
//! short-lived signed links a browser downloads an archive through.

use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tower::ServiceExt;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::backup::BackupEntry;
use super::schedule::{self, BackupState};
use crate::auth::extract::ClientIp;
use crate::auth::{AuthUser, require_roles};
use crate::http::signing::{self, Purpose, Signature};
use crate::http::{AppError, Json, Problem, Query};
use crate::state::AppState;
use crate::users::Role;

/// How long a download link of an archive works.
const LINK_SECONDS: i64 = 5 * 60;
/// Where signed links download archives from.
const DOWNLOADS: &str = "/api/backup-downloads";

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    require_roles(
        OpenApiRouter::new()
            .routes(routes!(list_backups, create_backup))
            .routes(routes!(download_backup))
            .routes(routes!(backup_link)),
        state,
        &[Role::Admin],
    )
    // The signature stands in for the token: a browser follows the link itself and
    // streams the archive to disk instead of holding it in memory.
    .routes(routes!(download_signed_backup))
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
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(name): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let path = schedule::find(&state.config, &name).ok_or(AppError::NotFound("backup"))?;
    record(&state, "backup.downloaded", &user, ip, &name).await?;
    serve_archive(&path, &name, request).await
}

/// Audits who took an archive out of the server (it holds every secret).
async fn record(
    state: &AppState,
    action: &'static str,
    user: &AuthUser,
    ip: Option<String>,
    name: &str,
) -> Result<(), AppError> {
    let (actor, name, now) = (user.user_id.clone(), name.to_string(), state.now_text());
    state
        .db
        .write(move |conn| {
            crate::audit::store::record(
                conn,
                &now,
                &crate::audit::Entry {
                    actor_id: Some(&actor),
                    action,
                    target_type: Some("backup"),
                    target_id: Some(&name),
                    ip: ip.as_deref(),
                    detail: None,
                },
            )?;
            Ok(())
        })
        .await
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BackupLink {
    /// Path of the archive with a signature: it downloads without a token until
    /// `expires_at`, so hand it only to whoever may hold the archive.
    pub url: String,
    pub expires_at: String,
}

/// A link to download one archive without a token, valid for five minutes.
#[utoipa::path(post, path = "/api/admin/backups/{name}/link", tag = "backups", security(("bearer" = [])),
    params(("name" = String, Path, description = "archive file name")),
    responses(
        (status = 200, body = BackupLink),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn backup_link(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(name): Path<String>,
) -> Result<Json<BackupLink>, AppError> {
    schedule::find(&state.config, &name).ok_or(AppError::NotFound("backup"))?;
    record(&state, "backup.download_link", &user, ip, &name).await?;
    let (url, expires) =
        signing::signed_path(&state, Purpose::Backup, DOWNLOADS, &name, LINK_SECONDS);
    let expires_at = time::OffsetDateTime::from_unix_timestamp(expires)
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(Json(BackupLink {
        url,
        expires_at: crate::clock::rfc3339(expires_at),
    }))
}

/// Downloads one archive through a link from `POST /api/admin/backups/{name}/link`.
#[utoipa::path(get, path = "/api/backup-downloads/{name}", tag = "backups",
    params(("name" = String, Path, description = "archive file name"), Signature),
    responses(
        (status = 200, content_type = "application/zip", description = "the archive"),
        (status = 403, description = "missing, invalid or expired signature", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn download_signed_backup(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(signature): Query<Signature>,
    request: Request,
) -> Result<Response, AppError> {
    let (Some(expires), Some(sig)) = (signature.expires, signature.sig.as_deref()) else {
        return Err(AppError::Forbidden(
            "an archive downloads only with a token or through a signed link".into(),
        ));
    };
    let key = signing::key(&state.secrets.jwt_secret, Purpose::Backup);
    let now = state.now().unix_timestamp();
    signing::verify(&key, &name, expires, sig, now).map_err(signing::refusal)?;
    let path = schedule::find(&state.config, &name).ok_or(AppError::NotFound("backup"))?;
    serve_archive(&path, &name, request).await
}

/// The archive as an attachment, with Range support (a broken download can resume).
async fn serve_archive(
    path: &std::path::Path,
    name: &str,
    request: Request,
) -> Result<Response, AppError> {
    let served = tower_http::services::ServeFile::new(path)
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
