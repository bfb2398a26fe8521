//! Learning types: enrolment, lesson and submission statuses (text enums mirrored by SQL
//! CHECKs), the rows the service works with, and the enrolment transition function.

use serde::{Deserialize, Serialize};

use crate::status::{IllegalTransition, Lifecycle, status_enum};

status_enum!(
    /// Where an enrolment stands; moves only through [`transition`].
    pub enum EnrollmentStatus: "enrolment status" { Active => "active", Completed => "completed", Revoked => "revoked" }
);

status_enum!(
    /// How an enrolment came about.
    pub enum EnrollmentSource: "enrolment source" { Free => "free", Order => "order", Manual => "manual" }
);

status_enum!(
    /// The kind of a lesson, which decides how it is completed.
    pub enum LessonType: "lesson type" { Video => "video", Reading => "reading", Quiz => "quiz", Assignment => "assignment" }
);

status_enum!(
    /// An assignment submission waits for a grade, then is graded.
    pub enum SubmissionStatus: "submission status" { Submitted => "submitted", Graded => "graded" }
);

impl EnrollmentStatus {
    /// Active and completed enrolments give access to the course content.
    pub fn has_access(self) -> bool {
        matches!(self, EnrollmentStatus::Active | EnrollmentStatus::Completed)
    }
}

/// Enrolment moves: completing an active enrolment, revoking an active or completed one
/// (refund, by hand), and re-activating a revoked one (re-purchase, re-enrolment).
impl Lifecycle for EnrollmentStatus {
    const SUBJECT: &'static str = "an enrolment";

    fn next_states(self) -> &'static [EnrollmentStatus] {
        use EnrollmentStatus::*;
        match self {
            Active => &[Completed, Revoked],
            Completed => &[Revoked],
            Revoked => &[Active],
        }
    }
}

/// The one place enrolment status changes are decided ([`Lifecycle`] table above); anything
/// else is the shared [`IllegalTransition`] (a 409).
pub fn transition(
    from: EnrollmentStatus,
    to: EnrollmentStatus,
) -> Result<EnrollmentStatus, IllegalTransition<EnrollmentStatus>> {
    from.check_move(to).map(|()| to)
}

/// The parts of a course the learning rules need.
#[derive(Debug, Clone)]
pub struct CourseRow {
    pub id: String,
    pub instructor_id: String,
    pub instructor_name: String,
    pub title: String,
    pub price_cents: i64,
    pub currency: String,
    pub status: crate::catalog::model::Status,
}

impl CourseRow {
    pub fn is_published(&self) -> bool {
        self.status == crate::catalog::model::Status::Published
    }
}

/// The parts of a lesson the learning rules need (never its content).
#[derive(Debug, Clone)]
pub struct LessonRow {
    pub id: String,
    pub course_id: String,
    pub title: String,
    pub content_type: LessonType,
    pub required: bool,
    pub available_after_days: i64,
    pub pass_percent: Option<i64>,
    pub max_attempts: Option<i64>,
    pub max_score: Option<i64>,
    pub pass_score: Option<i64>,
}

/// An enrolment row.
#[derive(Debug, Clone)]
pub struct Enrollment {
    pub id: String,
    pub user_id: String,
    pub course_id: String,
    pub status: EnrollmentStatus,
    pub source: EnrollmentSource,
    pub order_id: Option<String>,
    pub enrolled_at: String,
    pub completed_at: Option<String>,
    pub revoked_at: Option<String>,
    pub last_lesson_id: Option<String>,
    pub last_heartbeat_at: Option<String>,
    pub time_spent_seconds: i64,
}

impl Enrollment {
    /// What `enrollments::record_activity` writes, applied to this copy, so the answer needs
    /// no second read of the row.
    pub fn note_activity(&mut self, lesson_id: &str, heartbeat_at: Option<&str>, credited: i64) {
        self.last_lesson_id = Some(lesson_id.to_string());
        if let Some(at) = heartbeat_at {
            self.last_heartbeat_at = Some(at.to_string());
        }
        self.time_spent_seconds += credited;
    }
}

/// What the API shows of an enrolment.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EnrollmentView {
    pub id: String,
    pub user_id: String,
    pub course_id: String,
    pub status: EnrollmentStatus,
    pub source: EnrollmentSource,
    pub enrolled_at: String,
    pub completed_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl From<&Enrollment> for EnrollmentView {
    fn from(e: &Enrollment) -> EnrollmentView {
        EnrollmentView {
            id: e.id.clone(),
            user_id: e.user_id.clone(),
            course_id: e.course_id.clone(),
            status: e.status,
            source: e.source,
            enrolled_at: e.enrolled_at.clone(),
            completed_at: e.completed_at.clone(),
            revoked_at: e.revoked_at.clone(),
        }
    }
}

/// A quiz question as stored (the answer never leaves the server).
#[derive(Debug, Clone)]
pub struct QuestionRow {
    pub id: String,
    pub kind: String,
    pub prompt: String,
    pub options: Option<String>,
    pub answer: String,
    pub points: i64,
}

/// An assignment submission row.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Submission {
    pub id: String,
    pub lesson_id: String,
    pub course_id: String,
    pub user_id: String,
    pub text: Option<String>,
    pub url: Option<String>,
    pub media_id: Option<String>,
    pub status: SubmissionStatus,
    pub score: Option<i64>,
    pub passed: Option<bool>,
    pub feedback: Option<String>,
    pub graded_at: Option<String>,
    pub submitted_at: String,
    pub updated_at: String,
    #[serde(skip)]
    pub enrollment_id: String,
}

/// A submission in a course's grading queue: who handed it in, for which lesson.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueuedSubmission {
    #[serde(flatten)]
    pub submission: Submission,
    /// The learner's display name.
    pub learner_name: String,
    /// The learner's email.
    pub learner_email: String,
    /// The assignment lesson's title.
    pub lesson_title: String,
}

/// A certificate row.
#[derive(Debug, Clone)]
pub struct Certificate {
    pub id: String,
    pub serial: String,
    pub enrollment_id: String,
    pub user_id: String,
    pub course_id: String,
    pub issued_at: String,
    pub revoked_at: Option<String>,
}

/// A review as the public sees it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReviewView {
    pub id: String,
    pub course_id: String,
    pub rating: i64,
    pub comment: String,
    pub reviewer_name: String,
    pub hidden: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A learner's progress in one course (`GET`/`POST /api/courses/:courseId/progress`).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProgressView {
    /// Completed required lessons over required lessons, 0..=100.
    pub percent: i64,
    pub completed_lesson_ids: Vec<String>,
    pub time_spent_seconds: i64,
    pub last_lesson_id: Option<String>,
    pub status: EnrollmentStatus,
    pub completed_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::EnrollmentStatus::*;
    use super::*;

    #[test]
    fn legal_enrolment_moves_are_allowed() {
        for (from, to) in [
            (Active, Completed),
            (Active, Revoked),
            (Completed, Revoked),
            (Revoked, Active),
        ] {
            assert_eq!(transition(from, to).unwrap(), to);
        }
    }

    #[test]
    fn illegal_enrolment_moves_are_conflicts() {
        for (from, to) in [
            (Completed, Active),
            (Revoked, Completed),
            (Revoked, Revoked),
            (Active, Active),
            (Completed, Completed),
        ] {
            let refused = transition(from, to).unwrap_err();
            assert_eq!(
                refused,
                IllegalTransition {
                    from,
                    to,
                    only_via: None
                }
            );
            assert_eq!(crate::http::AppError::from(refused).status().as_u16(), 409);
        }
    }

    #[test]
    fn statuses_round_trip_through_text() {
        for s in EnrollmentStatus::ALL {
            assert_eq!(s.as_str().parse::<EnrollmentStatus>().unwrap(), *s);
        }
        assert!("paused".parse::<EnrollmentStatus>().is_err());
        assert!(Completed.has_access() && !Revoked.has_access());
    }
}
