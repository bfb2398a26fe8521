//! The rules of each lesson type: a video has one source, a reading a Markdown body, a
//! quiz its questions and pass mark, an assignment instructions and scores. Each sets only
//! its own fields of the checked lesson.

use super::{LessonDraft, LessonFields};
use crate::catalog::model::ContentType;
use crate::catalog::quiz::{self, QuestionInput};
use crate::http::FieldError;

/// Checks the draft's fields of `content_type` and copies them into `out`.
pub(super) fn check(
    content_type: ContentType,
    draft: LessonDraft,
    questions: &Option<Vec<QuestionInput>>,
    out: &mut LessonFields,
    errors: &mut Vec<FieldError>,
) {
    match content_type {
        ContentType::Video => video(draft, out, errors),
        ContentType::Reading => reading(draft, out, errors),
        ContentType::Quiz => quiz_lesson(draft, questions, out, errors),
        ContentType::Assignment => assignment(draft, out, errors),
    }
}

/// Exactly one of an http(s) `content_url` or an uploaded `media_id`; a transcript of at
/// most 100000 characters (blank means none).
fn video(draft: LessonDraft, out: &mut LessonFields, errors: &mut Vec<FieldError>) {
    let transcript = draft.transcript.filter(|t| !t.trim().is_empty());
    if transcript
        .as_ref()
        .is_some_and(|t| t.chars().count() > 100_000)
    {
        errors.push(FieldError::new(
            "transcript",
            "must be at most 100000 characters",
        ));
    }
    out.transcript = transcript;
    let url = draft.content_url.map(|u| u.trim().to_string());
    match (&url, &draft.media_id) {
        (Some(_), Some(_)) | (None, None) => errors.push(FieldError::new(
            "content_url",
            "a video lesson needs exactly one of content_url or media_id",
        )),
        (Some(u), None) => {
            let lower = u.to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://"))
                || u.len() > 2000
                || u.chars().any(char::is_whitespace)
            {
                errors.push(FieldError::new(
                    "content_url",
                    "must be an http(s) URL of at most 2000 characters",
                ));
            }
        }
        (None, Some(_)) => {}
    }
    out.content_url = url;
    out.media_id = draft.media_id;
}

/// A non-empty Markdown body of at most 200000 characters.
fn reading(draft: LessonDraft, out: &mut LessonFields, errors: &mut Vec<FieldError>) {
    let body = draft.body_markdown.unwrap_or_default();
    let len = body.chars().count();
    if body.trim().is_empty() || len > 200_000 {
        errors.push(FieldError::new(
            "body_markdown",
            "a reading lesson needs a Markdown body of at most 200000 characters",
        ));
    }
    out.body_markdown = Some(body);
}

/// 1 to 200 questions (kept when the stored quiz has them), a pass mark of 0 to 100 percent
/// (70 by default) and 1 to 100 attempts or unlimited.
fn quiz_lesson(
    draft: LessonDraft,
    questions: &Option<Vec<QuestionInput>>,
    out: &mut LessonFields,
    errors: &mut Vec<FieldError>,
) {
    let pass = draft.pass_percent.unwrap_or(70);
    if !(0..=100).contains(&pass) {
        errors.push(FieldError::new("pass_percent", "must be between 0 and 100"));
    }
    if draft.max_attempts.is_some_and(|n| !(1..=100).contains(&n)) {
        errors.push(FieldError::new(
            "max_attempts",
            "must be between 1 and 100, or null for unlimited",
        ));
    }
    match questions {
        Some(questions) => match quiz::check_all(questions) {
            Ok(q) => out.questions = Some(q),
            Err(mut e) => errors.append(&mut e),
        },
        None if !draft.has_questions => errors.push(FieldError::new(
            "questions",
            "a quiz needs 1 to 200 questions",
        )),
        None => {}
    }
    out.pass_percent = Some(pass);
    out.max_attempts = draft.max_attempts;
}

/// Instructions of at most 50000 characters; a max score of 1 to 10000 (100 by default)
/// and a pass score between 0 and it (half by default).
fn assignment(draft: LessonDraft, out: &mut LessonFields, errors: &mut Vec<FieldError>) {
    let instructions = draft.instructions.unwrap_or_default();
    if instructions.trim().is_empty() || instructions.chars().count() > 50_000 {
        errors.push(FieldError::new(
            "instructions",
            "an assignment needs instructions of at most 50000 characters",
        ));
    }
    let max = draft.max_score.unwrap_or(100);
    let pass = draft.pass_score.unwrap_or(max / 2);
    if !(1..=10_000).contains(&max) {
        errors.push(FieldError::new("max_score", "must be between 1 and 10000"));
    }
    if pass < 0 || pass > max {
        errors.push(FieldError::new(
            "pass_score",
            "must be between 0 and max_score",
        ));
    }
    out.instructions = Some(instructions);
    out.max_score = Some(max);
    out.pass_score = Some(pass);
}
