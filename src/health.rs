//! Liveness and readiness probes.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::{AppError, Json};
use crate::state::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
    pub uptime_seconds: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Readiness {
    pub status: &'static str,
    pub database: &'static str,
    pub pending_migrations: usize,
    /// When the last backup was written (absent before the first).
    pub last_backup_at: Option<String>,
    /// Whether the last backup passed verification.
    pub last_backup_verified: Option<bool>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
}

/// The process is alive.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, body = Health)))]
pub async fn healthz(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        uptime_seconds: state.started.elapsed().as_secs(),
    })
}

/// The database answers and every migration is applied.
#[utoipa::path(get, path = "/readyz", tag = "health", responses(
    (status = 200, body = Readiness),
    (status = 503, body = crate::http::Problem, content_type = "application/problem+json"),
))]
pub async fn readyz(
    State(state): State<AppState>,
) -> Result<(StatusCode, Json<Readiness>), AppError> {
    let pending = state
        .db
        .read(|conn| Ok(crate::db::applied_migration_count(conn)?))
        .await;
    match pending {
        Ok(applied) => {
            let known = crate::db::known_migration_count();
            let pending = known.saturating_sub(applied as usize);
            let ready = pending == 0;
            let backups = crate::ops::schedule::load_state(&state.config.data_dir);
            Ok((
                if ready {
                    StatusCode::OK
                } else {
                    StatusCode::SERVICE_UNAVAILABLE
                },
                Json(Readiness {
                    status: if ready { "ready" } else { "migrations pending" },
                    database: "ok",
                    pending_migrations: pending,
                    last_backup_at: backups.last_backup_at,
                    last_backup_verified: backups.last_verified,
                }),
            ))
        }
        Err(e) => Err(AppError::Unavailable(crate::msg!(
            "problem-db-silent",
            cause = e.to_string()
        ))),
    }
}
