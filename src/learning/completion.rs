//! Course completion rules, in one place: when a lesson counts as completed for each lesson type, and when a course is complete.
//!
//! Pure functions over facts the stores read (`store::progress::lesson_facts`, the lesson's
//! settings, a score); the services only record what these decide.

use super::model::LessonType;

/// What a learner did that may complete a lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The learner said "done" (the player's `completed: true`).
    MarkedDone,
    /// A graded quiz attempt and the lesson's pass mark.
    QuizAttempt {
        score_percent: i64,
        pass_percent: Option<i64>,
    },
    /// An instructor's grade for an assignment and the lesson's pass score.
    Grade { score: i64, pass_score: Option<i64> },
}

/// Evidence that cannot complete this type of lesson; the text says what does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotThisWay(pub &'static str);

/// When a lesson counts as completed:
/// - a video or reading lesson when the learner marks it done;
/// - a quiz lesson by an attempt that passes ([`quiz_passes`]);
/// - an assignment lesson by a grade that passes ([`assignment_passes`]).
///
/// Marking a quiz or an assignment done by hand is refused ([`NotThisWay`]); a failing
/// attempt or grade is `Ok(false)`, the lesson stays open.
pub fn lesson_completed(lesson: LessonType, evidence: Evidence) -> Result<bool, NotThisWay> {
    match (lesson, evidence) {
        (LessonType::Video | LessonType::Reading, Evidence::MarkedDone) => Ok(true),
        (
            LessonType::Quiz,
            Evidence::QuizAttempt {
                score_percent,
                pass_percent,
            },
        ) => Ok(quiz_passes(score_percent, pass_percent)),
        (LessonType::Assignment, Evidence::Grade { score, pass_score }) => {
            Ok(assignment_passes(score, pass_score))
        }
        (LessonType::Quiz, _) => Err(NotThisWay(
            "a quiz lesson is completed by a passing quiz attempt",
        )),
        (LessonType::Assignment, _) => Err(NotThisWay(
            "an assignment lesson is completed by a passing grade",
        )),
        (LessonType::Video | LessonType::Reading, _) => Err(NotThisWay(
            "a video or reading lesson is completed by marking it done",
        )),
    }
}

/// A quiz attempt passes when its score reaches the lesson's pass percent; without a pass
/// percent any attempt passes.
pub fn quiz_passes(score_percent: i64, pass_percent: Option<i64>) -> bool {
    score_percent >= pass_percent.unwrap_or(0)
}

/// A grade passes when it reaches the lesson's pass score; without a pass score any grade
/// passes.
pub fn assignment_passes(score: i64, pass_score: Option<i64>) -> bool {
    score >= pass_score.unwrap_or(0)
}

/// One lesson of a course as the completion rule sees it, for one enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LessonFact {
    pub required: bool,
    pub completed: bool,
}

/// Required lessons of a course and how many of them an enrolment has completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequiredLessons {
    pub required: i64,
    pub completed: i64,
}

/// Only required lessons count towards completion; optional ones never hold it back.
pub fn required_lessons(lessons: &[LessonFact]) -> RequiredLessons {
    lessons
        .iter()
        .filter(|l| l.required)
        .fold(RequiredLessons::default(), |sum, l| RequiredLessons {
            required: sum.required + 1,
            completed: sum.completed + i64::from(l.completed),
        })
}

/// When a course is complete: every required lesson is completed, and there is at least one
/// (a course with no required lesson is never completed, so it issues no certificate).
pub fn course_complete(lessons: &[LessonFact]) -> bool {
    let counts = required_lessons(lessons);
    counts.required > 0 && counts.completed >= counts.required
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn lesson(required: bool, completed: bool) -> LessonFact {
        LessonFact {
            required,
            completed,
        }
    }

    #[test]
    fn videos_and_readings_are_completed_by_marking_them_done() {
        assert_eq!(
            lesson_completed(LessonType::Video, Evidence::MarkedDone),
            Ok(true)
        );
        assert_eq!(
            lesson_completed(LessonType::Reading, Evidence::MarkedDone),
            Ok(true)
        );
    }

    #[test]
    fn a_quiz_or_an_assignment_cannot_be_marked_done_by_hand() {
        assert_eq!(
            lesson_completed(LessonType::Quiz, Evidence::MarkedDone),
            Err(NotThisWay(
                "a quiz lesson is completed by a passing quiz attempt"
            ))
        );
        assert_eq!(
            lesson_completed(LessonType::Assignment, Evidence::MarkedDone),
            Err(NotThisWay(
                "an assignment lesson is completed by a passing grade"
            ))
        );
    }

    #[test]
    fn a_quiz_is_completed_by_an_attempt_reaching_the_pass_percent() {
        let attempt = |score_percent| Evidence::QuizAttempt {
            score_percent,
            pass_percent: Some(70),
        };
        assert_eq!(lesson_completed(LessonType::Quiz, attempt(69)), Ok(false));
        assert_eq!(lesson_completed(LessonType::Quiz, attempt(70)), Ok(true));
        assert_eq!(lesson_completed(LessonType::Quiz, attempt(100)), Ok(true));
    }

    #[test]
    fn without_a_pass_percent_any_quiz_attempt_passes() {
        assert!(quiz_passes(0, None));
    }

    #[test]
    fn an_assignment_is_completed_by_a_grade_reaching_the_pass_score() {
        let grade = |score| Evidence::Grade {
            score,
            pass_score: Some(60),
        };
        assert_eq!(
            lesson_completed(LessonType::Assignment, grade(59)),
            Ok(false)
        );
        assert_eq!(
            lesson_completed(LessonType::Assignment, grade(60)),
            Ok(true)
        );
        assert!(assignment_passes(0, None));
    }

    #[test]
    fn evidence_of_another_lesson_type_completes_nothing() {
        let grade = Evidence::Grade {
            score: 100,
            pass_score: None,
        };
        assert!(lesson_completed(LessonType::Quiz, grade).is_err());
        assert!(lesson_completed(LessonType::Video, grade).is_err());
        let attempt = Evidence::QuizAttempt {
            score_percent: 100,
            pass_percent: None,
        };
        assert!(lesson_completed(LessonType::Assignment, attempt).is_err());
    }

    #[test]
    fn a_course_is_complete_when_every_required_lesson_is() {
        assert!(course_complete(&[lesson(true, true), lesson(true, true)]));
        assert!(!course_complete(&[lesson(true, true), lesson(true, false)]));
    }

    #[test]
    fn optional_lessons_never_hold_a_course_back() {
        assert!(course_complete(&[lesson(true, true), lesson(false, false)]));
        assert_eq!(
            required_lessons(&[lesson(true, true), lesson(false, true), lesson(true, false)]),
            RequiredLessons {
                required: 2,
                completed: 1
            }
        );
    }

    #[test]
    fn a_course_without_required_lessons_is_never_complete() {
        assert!(!course_complete(&[]));
        assert!(!course_complete(&[lesson(false, true)]));
    }
}
