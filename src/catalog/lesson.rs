//! Lesson bodies and their per-type rules (video, reading, quiz, assignment).

use serde::Deserialize;

use super::model::ContentType;
use super::quiz::{self, Question, QuestionInput};
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
            pass_score
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
            questions: None,
        };
        match content_type {
            ContentType::Video => {
                let url = self.content_url.map(|u| u.trim().to_string());
                match (&url, &self.media_id) {
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
                out.media_id = self.media_id;
            }
            ContentType::Reading => {
                let body = self.body_markdown.unwrap_or_default();
                let len = body.chars().count();
                if body.trim().is_empty() || len > 200_000 {
                    errors.push(FieldError::new(
                        "body_markdown",
                        "a reading lesson needs a Markdown body of at most 200000 characters",
                    ));
                }
                out.body_markdown = Some(body);
            }
            ContentType::Quiz => {
                let pass = self.pass_percent.unwrap_or(70);
                if !(0..=100).contains(&pass) {
                    errors.push(FieldError::new("pass_percent", "must be between 0 and 100"));
                }
                if self.max_attempts.is_some_and(|n| !(1..=100).contains(&n)) {
                    errors.push(FieldError::new(
                        "max_attempts",
                        "must be between 1 and 100, or null for unlimited",
                    ));
                }
                match &body.questions {
                    Some(questions) => match quiz::check_all(questions) {
                        Ok(q) => out.questions = Some(q),
                        Err(mut e) => errors.append(&mut e),
                    },
                    None if !self.has_questions => errors.push(FieldError::new(
                        "questions",
                        "a quiz needs 1 to 200 questions",
                    )),
                    None => {}
                }
                out.pass_percent = Some(pass);
                out.max_attempts = self.max_attempts;
            }
            ContentType::Assignment => {
                let instructions = self.instructions.unwrap_or_default();
                if instructions.trim().is_empty() || instructions.chars().count() > 50_000 {
                    errors.push(FieldError::new(
                        "instructions",
                        "an assignment needs instructions of at most 50000 characters",
                    ));
                }
                let max = self.max_score.unwrap_or(100);
                let pass = self.pass_score.unwrap_or(max / 2);
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
        }
        if body.questions.is_some() && content_type != ContentType::Quiz {
            errors.push(FieldError::new("questions", "applies to quiz lessons only"));
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::model::QuestionKind;

    fn fields(e: AppError) -> Vec<String> {
        match e {
            AppError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    fn body(content_type: ContentType) -> LessonBody {
        LessonBody {
            section_id: Some("s1".into()),
            content_type: Some(content_type),
            title: Some("Intro".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_video_needs_exactly_one_source() {
        let e = LessonDraft::new()
            .apply(body(ContentType::Video))
            .unwrap_err();
        assert_eq!(fields(e), ["content_url"]);
        let ok = LessonDraft::new()
            .apply(LessonBody {
                content_url: Some(Some("https://video.example/1".into())),
                ..body(ContentType::Video)
            })
            .unwrap();
        assert!(ok.required);
        let bad = LessonBody {
            content_url: Some(Some("javascript:alert(1)".into())),
            ..body(ContentType::Video)
        };
        assert_eq!(
            fields(LessonDraft::new().apply(bad).unwrap_err()),
            ["content_url"]
        );
    }

    #[test]
    fn a_quiz_needs_questions_and_keeps_other_fields_out() {
        let e = LessonDraft::new()
            .apply(body(ContentType::Quiz))
            .unwrap_err();
        assert_eq!(fields(e), ["questions"]);
        let ok = LessonDraft::new()
            .apply(LessonBody {
                questions: Some(vec![QuestionInput {
                    kind: QuestionKind::TrueFalse,
                    prompt: "Sky is blue?".into(),
                    options: None,
                    answer: serde_json::json!(true),
                    points: None,
                }]),
                body_markdown: Some("ignored".into()),
                ..body(ContentType::Quiz)
            })
            .unwrap();
        assert_eq!(ok.pass_percent, Some(70));
        assert_eq!(ok.body_markdown, None);
    }

    #[test]
    fn assignment_scores_must_fit() {
        let e = LessonDraft::new()
            .apply(LessonBody {
                instructions: Some("Write".into()),
                max_score: Some(Some(10)),
                pass_score: Some(Some(11)),
                ..body(ContentType::Assignment)
            })
            .unwrap_err();
        assert_eq!(fields(e), ["pass_score"]);
    }

    #[test]
    fn null_clears_an_optional_field_and_absent_keeps_it() {
        let stored = LessonDraft {
            section_id: "s1".into(),
            content_type: Some(ContentType::Assignment),
            title: "Essay".into(),
            instructions: Some("Write".into()),
            max_score: Some(10),
            pass_score: Some(8),
            ..LessonDraft::new()
        };
        let parse = |json: &str| serde_json::from_str::<LessonBody>(json).unwrap();
        let kept = stored
            .clone()
            .apply(parse(r#"{"title": "Essay 2"}"#))
            .unwrap();
        assert_eq!((kept.max_score, kept.pass_score), (Some(10), Some(8)));
        let cleared = stored
            .apply(parse(r#"{"pass_score": null, "max_score": null}"#))
            .unwrap();
        assert_eq!(
            (cleared.max_score, cleared.pass_score),
            (Some(100), Some(50))
        );

        let video = LessonDraft {
            section_id: "s1".into(),
            content_type: Some(ContentType::Video),
            title: "Clip".into(),
            content_url: Some("https://video.example/1".into()),
            ..LessonDraft::new()
        };
        let moved = video
            .apply(parse(r#"{"content_url": null, "media_id": "m1"}"#))
            .unwrap();
        assert_eq!(
            (moved.content_url, moved.media_id.as_deref()),
            (None, Some("m1"))
        );
    }

    #[test]
    fn drip_and_duration_bounds() {
        let e = LessonDraft::new()
            .apply(LessonBody {
                body_markdown: Some("text".into()),
                available_after_days: Some(-1),
                duration_seconds: Some(-5),
                ..body(ContentType::Reading)
            })
            .unwrap_err();
        assert_eq!(fields(e), ["available_after_days", "duration_seconds"]);
    }
}
