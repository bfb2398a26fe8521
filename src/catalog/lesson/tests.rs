//! Unit tests of the lesson rules.

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

#[test]
fn a_video_keeps_its_transcript_and_a_blank_one_is_none() {
    let video = |transcript: &str| LessonBody {
        content_url: Some(Some("https://video.example/1".into())),
        transcript: Some(Some(transcript.into())),
        ..body(ContentType::Video)
    };
    let ok = LessonDraft::new().apply(video("Hello, *class*.")).unwrap();
    assert_eq!(ok.transcript.as_deref(), Some("Hello, *class*."));
    assert_eq!(
        LessonDraft::new().apply(video("  \n")).unwrap().transcript,
        None
    );
    let long = "a".repeat(100_001);
    assert_eq!(
        fields(LessonDraft::new().apply(video(&long)).unwrap_err()),
        ["transcript"]
    );
}

#[test]
fn only_a_video_lesson_takes_a_transcript() {
    let reading = LessonBody {
        body_markdown: Some("Read this".into()),
        transcript: Some(Some("spoken words".into())),
        ..body(ContentType::Reading)
    };
    assert_eq!(
        fields(LessonDraft::new().apply(reading).unwrap_err()),
        ["transcript"]
    );
}
