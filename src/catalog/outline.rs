//! Who may see which lesson content, and the outline/lesson views built from stored rows.
//! Correct quiz answers appear only in views built for a course's managers.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::captions::{Caption, CaptionView};
use super::markdown;
use super::model::{ContentType, Lesson, QuestionKind, QuizQuestion, Section};

/// The caller's relation to a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The owning instructor or an admin: everything, including answers.
    Manager,
    /// An active or completed enrolment since this time.
    Enrolled(OffsetDateTime),
    None,
}

impl Access {
    pub fn label(self) -> &'static str {
        match self {
            Access::Manager => "manager",
            Access::Enrolled(_) => "enrolled",
            Access::None => "none",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    Open,
    /// Not enrolled and not a preview.
    NeedsEnrolment,
    /// Enrolled, but the lesson drips open later.
    OpensAt(OffsetDateTime),
}

pub fn lock(
    access: Access,
    is_preview: bool,
    available_after_days: i64,
    now: OffsetDateTime,
) -> Lock {
    match access {
        Access::Manager => Lock::Open,
        _ if is_preview => Lock::Open,
        Access::Enrolled(since) => {
            let opens = since + time::Duration::days(available_after_days);
            if now >= opens {
                Lock::Open
            } else {
                Lock::OpensAt(opens)
            }
        }
        Access::None => Lock::NeedsEnrolment,
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuestionView {
    pub id: String,
    pub kind: QuestionKind,
    pub prompt: String,
    pub options: Option<Vec<String>>,
    pub points: i64,
    /// Only in the authoring view (owner and admins).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Value)]
    pub answer: Option<serde_json::Value>,
}

/// The content of a lesson, sent only to those who may see it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LessonContent {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_url: Option<String>,
    /// A short-lived signed URL of the uploaded video.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_id: Option<String>,
    /// Authoring view only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_markdown: Option<String>,
    /// The reading rendered to sanitised HTML.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub questions: Option<Vec<QuestionView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass_percent: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_score: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass_score: Option<i64>,
    /// Video: the caption tracks, one per language (empty when there are none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captions: Option<Vec<CaptionView>>,
    /// Video, authoring view only: the transcript's Markdown source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
    /// Video: the transcript rendered to sanitised HTML.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript_html: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LessonView {
    pub id: String,
    pub section_id: String,
    pub title: String,
    pub content_type: ContentType,
    pub position: i64,
    pub duration_seconds: i64,
    pub is_preview: bool,
    pub required: bool,
    pub available_after_days: i64,
    /// True when the caller cannot open this lesson (yet).
    pub locked: bool,
    /// When a dripped lesson opens for the caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<LessonContent>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SectionView {
    pub id: String,
    pub title: String,
    pub position: i64,
    pub lessons: Vec<LessonView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OutlineView {
    pub course_id: String,
    /// `manager` (owner or admin), `enrolled` or `none`.
    pub access: String,
    pub sections: Vec<SectionView>,
}

/// How to build lesson views.
pub struct Render<'a> {
    pub access: Access,
    pub now: OffsetDateTime,
    /// Include content where the caller may see it.
    pub with_content: bool,
    /// Signs URLs for uploaded media.
    pub sign: &'a dyn Fn(&str) -> String,
    /// The captions of the lessons, by lesson id.
    pub captions: &'a HashMap<String, Vec<Caption>>,
}

/// A video lesson's caption tracks, with URLs signed like its video's.
fn caption_views(lesson: &Lesson, r: &Render<'_>) -> Option<Vec<CaptionView>> {
    (lesson.content_type == ContentType::Video).then(|| {
        r.captions
            .get(&lesson.id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|c| CaptionView {
                language: c.language.clone(),
                label: c.label.clone(),
                url: (r.sign)(&c.media_id),
                created_at: c.created_at.clone(),
            })
            .collect()
    })
}

pub fn lesson_view(lesson: &Lesson, questions: &[QuizQuestion], r: &Render<'_>) -> LessonView {
    let state = lock(
        r.access,
        lesson.is_preview,
        lesson.available_after_days,
        r.now,
    );
    let manager = r.access == Access::Manager;
    let content = (state == Lock::Open && r.with_content).then(|| LessonContent {
        content_url: lesson.content_url.clone(),
        media_url: lesson.media_id.as_deref().map(r.sign),
        media_id: lesson.media_id.clone().filter(|_| manager),
        body_markdown: lesson.body_markdown.clone().filter(|_| manager),
        body_html: lesson.body_markdown.as_deref().map(markdown::render),
        questions: (lesson.content_type == ContentType::Quiz).then(|| {
            questions
                .iter()
                .map(|q| QuestionView {
                    id: q.id.clone(),
                    kind: q.kind,
                    prompt: q.prompt.clone(),
                    options: q.options.clone(),
                    points: q.points,
                    answer: manager.then(|| q.answer.clone()),
                })
                .collect()
        }),
        pass_percent: lesson.pass_percent,
        max_attempts: lesson.max_attempts,
        instructions: lesson.instructions.clone(),
        max_score: lesson.max_score,
        pass_score: lesson.pass_score,
        captions: caption_views(lesson, r),
        transcript: lesson.transcript.clone().filter(|_| manager),
        transcript_html: lesson.transcript.as_deref().map(markdown::render),
    });
    LessonView {
        id: lesson.id.clone(),
        section_id: lesson.section_id.clone(),
        title: lesson.title.clone(),
        content_type: lesson.content_type,
        position: lesson.position,
        duration_seconds: lesson.duration_seconds,
        is_preview: lesson.is_preview,
        required: lesson.required,
        available_after_days: lesson.available_after_days,
        locked: state != Lock::Open,
        opens_at: match state {
            Lock::OpensAt(at) => Some(crate::clock::rfc3339(at)),
            _ => None,
        },
        content,
    }
}

/// Sections in order, each with its lessons in order.
pub fn sections_view(
    sections: &[Section],
    lessons: &[Lesson],
    questions: &HashMap<String, Vec<QuizQuestion>>,
    r: &Render<'_>,
) -> Vec<SectionView> {
    sections
        .iter()
        .map(|s| SectionView {
            id: s.id.clone(),
            title: s.title.clone(),
            position: s.position,
            lessons: lessons
                .iter()
                .filter(|l| l.section_id == s.id)
                .map(|l| {
                    let qs = questions.get(&l.id).map(Vec::as_slice).unwrap_or(&[]);
                    lesson_view(l, qs, r)
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn quiz() -> (Lesson, Vec<QuizQuestion>) {
        let lesson = Lesson {
            id: "l1".into(),
            course_id: "c1".into(),
            section_id: "s1".into(),
            title: "Check".into(),
            content_type: ContentType::Quiz,
            position: 0,
            is_preview: false,
            required: true,
            available_after_days: 2,
            duration_seconds: 60,
            content_url: None,
            media_id: None,
            body_markdown: None,
            pass_percent: Some(70),
            max_attempts: None,
            instructions: None,
            max_score: None,
            pass_score: None,
            transcript: None,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let question = QuizQuestion {
            id: "q1".into(),
            lesson_id: "l1".into(),
            position: 0,
            kind: QuestionKind::TrueFalse,
            prompt: "?".into(),
            options: None,
            answer: serde_json::json!(true),
            points: 1,
        };
        (lesson, vec![question])
    }

    static NO_CAPTIONS: std::sync::LazyLock<HashMap<String, Vec<Caption>>> =
        std::sync::LazyLock::new(HashMap::new);

    fn render(access: Access, now: OffsetDateTime) -> Render<'static> {
        Render {
            access,
            now,
            with_content: true,
            sign: &|id| format!("/media/{id}?signed"),
            captions: &NO_CAPTIONS,
        }
    }

    #[test]
    fn drip_opens_lessons_days_after_enrolment() {
        let since = datetime!(2030-01-01 00:00 UTC);
        let (lesson, qs) = quiz();
        let early = lesson_view(&lesson, &qs, &render(Access::Enrolled(since), since));
        assert!(early.locked && early.content.is_none());
        assert!(early.opens_at.is_some());
        let later = since + time::Duration::days(2);
        let open = lesson_view(&lesson, &qs, &render(Access::Enrolled(since), later));
        assert!(!open.locked);
    }

    #[test]
    fn answers_reach_managers_only() {
        let now = datetime!(2030-01-10 00:00 UTC);
        let since = datetime!(2030-01-01 00:00 UTC);
        let (lesson, qs) = quiz();
        let student = lesson_view(&lesson, &qs, &render(Access::Enrolled(since), now));
        let text = serde_json::to_string(&student).unwrap();
        assert!(!text.contains("answer"), "{text}");
        let manager = lesson_view(&lesson, &qs, &render(Access::Manager, now));
        assert!(
            serde_json::to_string(&manager)
                .unwrap()
                .contains("\"answer\":true")
        );
    }

    #[test]
    fn captions_come_with_an_open_video_only_and_are_signed_like_it() {
        let now = datetime!(2030-01-10 00:00 UTC);
        let (mut lesson, _) = quiz();
        lesson.content_type = ContentType::Video;
        lesson.media_id = Some("m1".into());
        let captions = HashMap::from([(
            "l1".to_string(),
            vec![Caption {
                lesson_id: "l1".into(),
                language: "fr".into(),
                label: "Français".into(),
                media_id: "m2".into(),
                created_at: String::new(),
            }],
        )]);
        let with = |access| Render {
            captions: &captions,
            ..render(access, now)
        };
        let locked = lesson_view(&lesson, &[], &with(Access::None));
        assert!(
            locked.content.is_none(),
            "no captions before the video opens"
        );
        let since = datetime!(2030-01-01 00:00 UTC);
        let open = lesson_view(&lesson, &[], &with(Access::Enrolled(since)));
        let content = open.content.unwrap();
        assert_eq!(content.media_url.as_deref(), Some("/media/m1?signed"));
        let tracks = content.captions.unwrap();
        assert_eq!(tracks.len(), 1);
        assert_eq!(tracks[0].url, "/media/m2?signed");
        assert_eq!(tracks[0].language, "fr");
    }

    #[test]
    fn outsiders_see_previews_only() {
        let now = datetime!(2030-01-10 00:00 UTC);
        let (mut lesson, qs) = quiz();
        assert!(lesson_view(&lesson, &qs, &render(Access::None, now)).locked);
        lesson.is_preview = true;
        let preview = lesson_view(&lesson, &qs, &render(Access::None, now));
        assert!(!preview.locked && preview.content.is_some());
    }
}
