//! Certificate endpoints: the learner's PDF and the public verification by serial.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::clock::parse_rfc3339;
use crate::http::{AppError, Json, Problem};
use crate::learning::certificate::{CertificateData, render_certificate};
use crate::learning::store::{certificates, courses, enrollments};
use crate::state::AppState;
use crate::users::store as users;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(download))
        .routes(routes!(verify))
}

/// The caller's completion certificate for a course, as a PDF.
#[utoipa::path(get, path = "/api/courses/{courseId}/certificate", tag = "learning", security(("bearer" = [])),
    params(("courseId" = String, Path)),
    responses(
        (status = 200, description = "the certificate", body = String, content_type = "application/pdf"),
        (status = 404, description = "not completed (or not enrolled)", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "the certificate was revoked", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn download(
    State(state): State<AppState>,
    user: AuthUser,
    Path(course_id): Path<String>,
) -> Result<Response, AppError> {
    let (certificate, learner_name, course) = state
        .db
        .read(move |conn| {
            let enrollment = enrollments::find(conn, &user.user_id, &course_id)?
                .ok_or(AppError::NotFound("certificate"))?;
            let certificate = match certificates::current(conn, &enrollment.id)? {
                Some(c) => c,
                None if certificates::latest(conn, &enrollment.id)?.is_some() => {
                    return Err(AppError::Gone("this certificate has been revoked".into()));
                }
                None => return Err(AppError::NotFound("certificate")),
            };
            let learner = users::by_id(conn, &user.user_id)?.ok_or(AppError::NotFound("user"))?;
            let course = courses::course(conn, &course_id)?.ok_or(AppError::NotFound("course"))?;
            let language = courses::language(conn, &course_id)?.unwrap_or_default();
            Ok((certificate, learner.name, (course, language)))
        })
        .await?;
    let (course, language) = course;
    let issued = parse_rfc3339(&certificate.issued_at).unwrap_or_else(|| state.now());
    let data = CertificateData {
        learner_name,
        course_title: course.title,
        instructor_name: course.instructor_name,
        completed_on: issued.date(),
        verify_url: format!(
            "{}/certificates/{}",
            state.config.public_url(),
            certificate.serial
        ),
        serial: certificate.serial.clone(),
        school_name: state.config.store.name.clone(),
        language,
    };
    let pdf = state
        .blocking(move || render_certificate(&data))
        .await?
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"certificate-{}.pdf\"",
                    certificate.serial
                ),
            ),
        ],
        pdf,
    )
        .into_response())
}

/// What anyone may learn about a certificate from its serial.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CertificateCheck {
    pub serial: String,
    /// False once revoked (e.g. after a refund).
    pub valid: bool,
    pub learner_name: String,
    pub course_title: String,
    pub issued_at: String,
    pub revoked_at: Option<String>,
}

/// Check a certificate by its serial (public).
#[utoipa::path(get, path = "/api/certificates/{serial}", tag = "learning",
    params(("serial" = String, Path)),
    responses(
        (status = 200, body = CertificateCheck),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    Path(serial): Path<String>,
) -> Result<Json<CertificateCheck>, AppError> {
    let serial = serial.trim().to_ascii_uppercase();
    let (certificate, learner_name, course_title) = state
        .db
        .read(move |conn| {
            certificates::by_serial(conn, &serial)?.ok_or(AppError::NotFound("certificate"))
        })
        .await?;
    Ok(Json(CertificateCheck {
        serial: certificate.serial,
        valid: certificate.revoked_at.is_none(),
        learner_name,
        course_title,
        issued_at: certificate.issued_at,
        revoked_at: certificate.revoked_at,
    }))
}
