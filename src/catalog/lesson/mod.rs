//! Lesson bodies, drafts and checked fields; the rules of each type are in `per_type`.

mod per_type;
#[cfg(test)]
mod tests;

use serde::Deserialize;

use super::model::{ContentType, Lesson};
use super::quiz::{Question, QuestionInput};
use super::validate::nullable;
use crate::http::{AppError, FieldError};

/// `POST /api/courses/:courseId/lessons` (section_id, content_type and title required) and
/// `PUT .../lessons/:lessonId` (any subset; `questions` replaces all questions).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LessonBody {
    pub section_id: Option<String>,
    pub content_type: Option<ContentType>,
    pub title: Option<String>,
    pub is_preview: Option<bool>,
    /// Defaults to true.
    pub required: Option<bool>,
    /// Drip: days after enrolment before the lesson opens (default 0).
    pub available_after_days: Option<i64>,
    pub duration_seconds: Option<i64>,
    /// Video: an external http(s) URL, or else `media_id`.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub content_url: Option<Option<String>>,
    /// Video: an uploaded file.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub media_id: Option<Option<String>>,
    /// Reading: Markdown.
    pub body_markdown: Option<String>,
    /// Quiz: percentage needed to pass (default 70; null on update restores the default).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub pass_percent: Option<Option<i64>>,
    /// Quiz: null means unlimited.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub max_attempts: Option<Option<i64>>,
    pub questions: Option<Vec<QuestionInput>>,
    /// Assignment.
    pub instructions: Option<String>,
    /// Assignment: default 100 (null on update restores the default).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub max_score: Option<Option<i64>>,
    /// Assignment: default half of max_score (null on update restores the default).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub pass_score: Option<Option<i64>>,
    /// Video: the transcript, Markdown of at most 100000 characters (null or empty clears it).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub transcript: Option<Option<String>>,
}

/// A lesson's fields before checking (create: defaults; update: the stored lesson).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LessonDraft {
    pub section_id: String,
    pub content_type: Option<ContentType>,
    pub title: String,
    pub is_preview: bool,
    pub required: bool,
    pub available_after_days: i64,
    pub duration_seconds: i64,
    pub content_url: Option<String>,
    pub media_id: Option<String>,
    pub body_markdown: Option<String>,
    pub pass_percent: Option<i64>,
    pub max_attempts: Option<i64>,
    pub instructions: Option<String>,
    pub max_score: Option<i64>,
    pub pass_score: Option<i64>,
    pub transcript: Option<String>,
    /// The stored lesson is a quiz with questions (so `questions` may be omitted).
    pub has_questions: bool,
}

/// A checked lesson: only the fields of its type are set.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonFields {
    pub section_id: String,
    pub content_type: ContentType,
    pub title: String,
    pub is_preview: bool,
    pub required: bool,
    pub available_after_days: i64,
    pub duration_seconds: i64,
    pub content_url: Option<String>,
    pub media_id: Option<String>,
    pub body_markdown: Option<String>,
    pub pass_percent: Option<i64>,
    pub max_attempts: Option<i64>,
    pub instructions: Option<String>,
    pub max_score: Option<i64>,
    pub pass_score: Option<i64>,
    pub transcript: Option<String>,
    /// Some: replace the questions with these.
    pub questions: Option<Vec<Question>>,
}

impl LessonDraft {
    pub fn new() -> LessonDraft {
        LessonDraft {
            required: true,
            ..LessonDraft::default()
        }
    }

    /// The stored lesson, to be updated (`has_questions`: it is a quiz with questions).
    pub fn from_lesson(lesson: &Lesson, has_questions: bool) -> LessonDraft {
        LessonDraft {
            section_id: lesson.section_id.clone(),
            content_type: Some(lesson.content_type),
            title: lesson.title.clone(),
            is_preview: lesson.is_preview,
            required: lesson.required,
            available_after_days: lesson.available_after_days,
            duration_seconds: lesson.duration_seconds,
            content_url: lesson.content_url.clone(),
            media_id: lesson.media_id.clone(),
            body_markdown: lesson.body_markdown.clone(),
            pass_percent: lesson.pass_percent,
            max_attempts: lesson.max_attempts,
            instructions: lesson.instructions.clone(),
            max_score: lesson.max_score,
            pass_score: lesson.pass_score,
            transcript: lesson.transcript.clone(),
            has_questions,
        }
    }

    /// What every lesson needs: a title of 1 to 200 characters, a drip delay of 0 to 3650
    /// days and a duration of 0 to 1000000 seconds.
    fn check_common(&self, errors: &mut Vec<FieldError>) {
        let title_len = self.title.chars().count();
        if title_len == 0 || title_len > 200 {
            errors.push(FieldError::new("title", "must be 1 to 200 characters"));
        }
        if !(0..=3650).contains(&self.available_after_days) {
            errors.push(FieldError::new(
                "available_after_days",
                "must be between 0 and 3650",
            ));
        }
        if !(0..=1_000_000).contains(&self.duration_seconds) {
            errors.push(FieldError::new(
                "duration_seconds",
                "must be between 0 and 1000000",
            ));
        }
    }

    /// Applies `body` and checks the result.
    pub fn apply(mut self, body: LessonBody) -> Result<LessonFields, AppError> {
        let mut errors = Vec::new();
        if let Some(v) = body.section_id {
            self.section_id = v;
        }
        if let Some(v) = body.content_type {
            self.content_type = Some(v);
        }
        if let Some(v) = body.title {
            self.title = v.trim().to_string();
        }
        let gives_transcript = matches!(&body.transcript, Some(Some(t)) if !t.trim().is_empty());
        macro_rules! set {
            ($($field:ident),+) => { $(if let Some(v) = body.$field { self.$field = v; })+ };
        }
        set!(is_preview, required, available_after_days, duration_seconds);
        // Nullable fields: absent keeps, null clears (the type's default applies).
        set!(
            content_url,
            media_id,
            max_attempts,
            pass_percent,
            max_score,
            pass_score,
            transcript
        );
        if let Some(v) = body.body_markdown {
            self.body_markdown = Some(v);
        }
        if let Some(v) = body.instructions {
            self.instructions = Some(v);
        }
        if self.section_id.trim().is_empty() {
            errors.push(FieldError::new("section_id", "is required"));
        }
        let Some(content_type) = self.content_type else {
            errors.push(FieldError::new(
                "content_type",
                "is required: video, reading, quiz or assignment",
            ));
            return Err(AppError::Validation(errors));
        };
        self.check_common(&mut errors);
        let mut out = LessonFields {
            section_id: self.section_id.trim().to_string(),
            content_type,
            title: self.title.clone(),
            is_preview: self.is_preview,
            required: self.required,
            available_after_days: self.available_after_days,
            duration_seconds: self.duration_seconds,
            content_url: None,
            media_id: None,
            body_markdown: None,
            pass_percent: None,
            max_attempts: None,
            instructions: None,
            max_score: None,
            pass_score: None,
            transcript: None,
            questions: None,
        };
        per_type::check(content_type, self, &body.questions, &mut out, &mut errors);
        if body.questions.is_some() && content_type != ContentType::Quiz {
            errors.push(FieldError::new("questions", "applies to quiz lessons only"));
        }
        if gives_transcript && content_type != ContentType::Video {
            errors.push(FieldError::new(
                "transcript",
                "applies to video lessons only",
            ));
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

impl LessonFields {
    /// Copies the checked fields onto the lesson row (questions are written beside it).
    pub fn fill(self, lesson: &mut Lesson) {
        lesson.section_id = self.section_id;
        lesson.title = self.title;
        lesson.content_type = self.content_type;
        lesson.is_preview = self.is_preview;
        lesson.required = self.required;
        lesson.available_after_days = self.available_after_days;
        lesson.duration_seconds = self.duration_seconds;
        lesson.content_url = self.content_url;
        lesson.media_id = self.media_id;
        lesson.body_markdown = self.body_markdown;
        lesson.pass_percent = self.pass_percent;
        lesson.max_attempts = self.max_attempts;
        lesson.instructions = self.instructions;
        lesson.max_score = self.max_score;
        lesson.pass_score = self.pass_score;
        lesson.transcript = self.transcript;
    }
}

impl Lesson {
    /// A new lesson of `course_id` with no section yet, filled by [`LessonFields::fill`].
    pub fn blank(id: String, course_id: &str, content_type: ContentType, now: &str) -> Lesson {
        Lesson {
            id,
            course_id: course_id.to_string(),
            section_id: String::new(),
            title: String::new(),
            content_type,
            position: 0,
            is_preview: false,
            required: true,
            available_after_days: 0,
            duration_seconds: 0,
            content_url: None,
            media_id: None,
            body_markdown: None,
            pass_percent: None,
            max_attempts: None,
            instructions: None,
            max_score: None,
            pass_score: None,
            transcript: None,
            created_at: now.to_string(),
            updated_at: now.to_string(),
        }
    }
}
