//! Enrolment services shared by the HTTP API and Payments: grant and revoke enrolments,
//! check a learner's access to a lesson (drip included), record progress and complete
//! courses (issuing certificates). Every fn runs inside the caller's write or read closure.

use rand::Rng;
use rusqlite::Connection;
use time::OffsetDateTime;

use super::model::{
    CourseRow, Enrollment, EnrollmentSource, EnrollmentStatus, LessonRow, ProgressView, transition,
};
use super::store::{certificates, courses, enrollments, progress as progress_store};
use super::{drip, progress};
use crate::access::Gate;
use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::error::is_unique_violation;
use crate::http::{AppError, Problem};
use crate::learning::model::Certificate;

/// The outcome of [`grant_enrollment`]: `created` is true when the enrolment became active
/// now (new, or a revoked one re-activated), false when it already gave access.
#[derive(Debug, Clone)]
pub struct Granted {
    pub enrollment: Enrollment,
    pub created: bool,
}

/// Gives `user_id` access to `course_id`. An existing active or completed enrolment is kept
/// as it is; a revoked one is re-activated with its progress (and completes again at once if
/// every required lesson was already done). Checks neither price nor publication: callers do.
/// An enrolment held through a membership becomes owned (`payments::memberships` marks the
/// ones it grants as held again right after).
pub fn grant_enrollment(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
    source: EnrollmentSource,
    order_id: Option<&str>,
    now: &str,
) -> Result<Granted, AppError> {
    // A grant means ownership: an enrolment held through a membership or plan is owned now.
    crate::access::store::release(conn, user_id, course_id)?;
    match enrollments::find(conn, user_id, course_id)? {
        Some(existing) if existing.status.has_access() => Ok(Granted {
            enrollment: existing,
            created: false,
        }),
        Some(mut revoked) => {
            revoked.status = transition(revoked.status, EnrollmentStatus::Active)?;
            revoked.source = source;
            revoked.order_id = order_id.map(str::to_string);
            revoked.revoked_at = None;
            revoked.completed_at = None;
            enrollments::set_status(conn, &revoked, now)?;
            courses::add_enrollment_count(conn, course_id, 1)?;
            refresh_completion(conn, &mut revoked, now)?;
            Ok(Granted {
                enrollment: revoked,
                created: true,
            })
        }
        None => {
            let enrollment = Enrollment {
                id: uuid::Uuid::now_v7().to_string(),
                user_id: user_id.to_string(),
                course_id: course_id.to_string(),
                status: EnrollmentStatus::Active,
                source,
                order_id: order_id.map(str::to_string),
                enrolled_at: now.to_string(),
                completed_at: None,
                revoked_at: None,
                last_lesson_id: None,
                last_heartbeat_at: None,
                time_spent_seconds: 0,
            };
            enrollments::insert(conn, &enrollment, now)?;
            courses::add_enrollment_count(conn, course_id, 1)?;
            Ok(Granted {
                enrollment,
                created: true,
            })
        }
    }
}

/// Revokes one enrolment and its certificate; progress is kept. Revoking a revoked
/// enrolment is a 409 (from the transition function).
pub fn revoke_enrollment(
    conn: &Connection,
    enrollment: &Enrollment,
    now: &str,
) -> Result<Enrollment, AppError> {
    let mut revoked = enrollment.clone();
    revoked.status = transition(enrollment.status, EnrollmentStatus::Revoked)?;
    revoked.revoked_at = Some(now.to_string());
    enrollments::set_status(conn, &revoked, now)?;
    certificates::revoke_for_enrollment(conn, &revoked.id, now)?;
    courses::add_enrollment_count(conn, &revoked.course_id, -1)?;
    Ok(revoked)
}

/// Completes an active enrolment whose required lessons are all done, and issues its
/// certificate. Returns true when the course was completed by this call.
pub fn refresh_completion(
    conn: &Connection,
    enrollment: &mut Enrollment,
    now: &str,
) -> Result<bool, AppError> {
    if enrollment.status != EnrollmentStatus::Active {
        return Ok(false);
    }
    let lessons = progress_store::lesson_facts(conn, &enrollment.id, &enrollment.course_id)?;
    if !super::completion::course_complete(&lessons) {
        return Ok(false);
    }
    enrollment.status = transition(enrollment.status, EnrollmentStatus::Completed)?;
    enrollment.completed_at = Some(now.to_string());
    enrollments::set_status(conn, enrollment, now)?;
    let certificate = issue_certificate(conn, enrollment, now)?;
    super::mails::course_completed(conn, enrollment, &certificate, now)?;
    Ok(true)
}

/// Marks a lesson complete for an enrolment and completes the course when it was the last.
pub fn complete_lesson(
    conn: &Connection,
    enrollment: &mut Enrollment,
    lesson_id: &str,
    now: &str,
) -> Result<bool, AppError> {
    progress_store::mark_complete(conn, &enrollment.id, lesson_id, now)?;
    refresh_completion(conn, enrollment, now)
}

fn issue_certificate(
    conn: &Connection,
    enrollment: &Enrollment,
    now: &str,
) -> Result<Certificate, AppError> {
    for _ in 0..8 {
        let certificate = Certificate {
            id: uuid::Uuid::now_v7().to_string(),
            serial: new_serial(),
            enrollment_id: enrollment.id.clone(),
            user_id: enrollment.user_id.clone(),
            course_id: enrollment.course_id.clone(),
            issued_at: now.to_string(),
            revoked_at: None,
        };
        match certificates::insert(conn, &certificate) {
            Ok(()) => return Ok(certificate),
            Err(e) if is_unique_violation(&e, "certificates.serial") => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Internal(anyhow::anyhow!(
        "could not draw a unique certificate serial"
    )))
}

/// A random serial like `SH-CERT-7KQ2-M9XD` (no 0/O or 1/I to misread).
pub fn new_serial() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    let mut group = || -> String {
        (0..4)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect()
    };
    format!("SH-CERT-{}-{}", group(), group())
}

/// The caller's enrolment if it opens `lesson` now: 403 when not enrolled, revoked, or the
/// lesson is still dripping (the problem carries `available_at`).
pub fn learner_access(
    conn: &Connection,
    user_id: &str,
    lesson: &LessonRow,
    gate: Gate,
) -> Result<Enrollment, AppError> {
    let enrollment = open_enrollment(conn, user_id, &lesson.course_id, gate)?;
    drip_gate(&enrollment, lesson, gate.now)?;
    Ok(enrollment)
}

/// The caller's enrolment when the access rule (`access::course_access`) opens the course
/// now: 403 naming the reason otherwise (a lapsed membership keeps the enrolment and its
/// progress, but opens nothing).
pub fn open_enrollment(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
    gate: Gate,
) -> Result<Enrollment, AppError> {
    crate::access::require(conn, user_id, course_id, gate)?;
    active_enrollment(conn, user_id, course_id)
}

/// 403 (with `available_at`) while `lesson` is still dripping for `enrollment`.
pub fn drip_gate(
    enrollment: &Enrollment,
    lesson: &LessonRow,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let enrolled_at = parse_rfc3339(&enrollment.enrolled_at).unwrap_or(now);
    match drip::locked_until(enrolled_at, lesson.available_after_days, now) {
        Some(opens) => {
            let opens = rfc3339(opens);
            Err(Problem::new(
                axum::http::StatusCode::FORBIDDEN,
                crate::msg!("problem-lesson-opens-at", opens = opens.as_str()),
            )
            .with("available_at", opens)
            .into_error())
        }
        None => Ok(()),
    }
}

/// The caller's enrolment in a course if it is active or completed (403 otherwise), whatever
/// its membership: for reading one's own progress and submissions, kept when access is lost.
pub fn active_enrollment(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
) -> Result<Enrollment, AppError> {
    match enrollments::find(conn, user_id, course_id)? {
        Some(e) if e.status.has_access() => Ok(e),
        Some(_) => Err(AppError::Forbidden(
            "your enrolment in this course has been revoked".into(),
        )),
        None => Err(AppError::Forbidden(
            "enrol in this course to open its lessons".into(),
        )),
    }
}

/// Whether someone may see a lesson's content: admins, the course's instructor, preview
/// lessons aside, an enrolled learner whose drip date has passed. For the catalogue's
/// content endpoints too.
pub fn content_access(
    conn: &Connection,
    user_id: &str,
    is_admin: bool,
    lesson: &LessonRow,
    gate: Gate,
) -> Result<(), AppError> {
    let course = courses::course(conn, &lesson.course_id)?.ok_or(AppError::NotFound("lesson"))?;
    if is_admin || course.instructor_id == user_id {
        return Ok(());
    }
    learner_access(conn, user_id, lesson, gate).map(|_| ())
}

/// The course if the caller owns it or is an admin; 404 otherwise (never revealing others').
pub fn owned_course(
    conn: &Connection,
    user_id: &str,
    is_admin: bool,
    course_id: &str,
) -> Result<CourseRow, AppError> {
    match courses::course(conn, course_id)? {
        Some(c) if is_admin || c.instructor_id == user_id => Ok(c),
        _ => Err(AppError::NotFound("course")),
    }
}

/// A lesson of the given kind, or 404.
pub fn lesson_of_kind(
    conn: &Connection,
    lesson_id: &str,
    kind: super::model::LessonType,
    what: &'static str,
) -> Result<LessonRow, AppError> {
    courses::lesson(conn, lesson_id)?
        .filter(|l| l.content_type == kind)
        .ok_or(AppError::NotFound(what))
}

/// Percent, completed lessons, time and status of an enrolment.
pub fn progress_view(conn: &Connection, enrollment: &Enrollment) -> Result<ProgressView, AppError> {
    let standing = progress_store::standing(conn, &enrollment.id, &enrollment.course_id)?;
    let done = standing.completed.iter().filter(|l| l.required).count() as i64;
    Ok(ProgressView {
        percent: progress::percent(done, standing.required_lessons),
        completed_lesson_ids: standing
            .completed
            .into_iter()
            .map(|l| l.lesson_id)
            .collect(),
        time_spent_seconds: enrollment.time_spent_seconds,
        last_lesson_id: enrollment.last_lesson_id.clone(),
        status: enrollment.status,
        completed_at: enrollment.completed_at.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_have_the_documented_shape() {
        let serial = new_serial();
        assert_eq!(serial.len(), "SH-CERT-XXXX-XXXX".len());
        assert!(serial.starts_with("SH-CERT-"));
        assert_eq!(serial.matches('-').count(), 3);
        assert!(!serial[8..].contains(['0', 'O', '1', 'I']));
        assert_ne!(new_serial(), new_serial());
    }
}
