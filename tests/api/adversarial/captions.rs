//! Adversarial rows for lesson captions (issue 29): each a way to abuse the caption upload,
//! asserting the answer and that nothing was written (no caption row, no media row, no audit
//! row, no file in the store).

use reqwest::StatusCode;
use serde_json::json;

use crate::catalog::cast;
use crate::learning::captions::{EN_VTT, multipart, put_caption, put_raw, video_course};
use crate::support::{TestApp, spawn_app_with};

#[derive(Clone, Copy)]
enum Who {
    Teacher,
    OtherTeacher,
    Student,
    Vendor,
    Nobody,
}

#[derive(Clone, Copy)]
enum Target {
    Video,
    Reading,
    UnknownLesson,
    UnknownCourse,
}

#[derive(Clone, Copy)]
enum Body {
    File(&'static [u8]),
    Label(&'static str),
    Json,
    NoFile,
    TooLarge,
}

struct Row {
    sentence: &'static str,
    who: Who,
    target: Target,
    language: &'static str,
    body: Body,
    expected: StatusCode,
}

const LIMIT: u64 = 2048;

const ROWS: &[Row] = &[
    Row {
        sentence: "a visitor without a token may not upload captions",
        who: Who::Nobody,
        target: Target::Video,
        language: "en",
        body: Body::File(EN_VTT),
        expected: StatusCode::UNAUTHORIZED,
    },
    Row {
        sentence: "a student may not upload captions, even to a lesson they can watch",
        who: Who::Student,
        target: Target::Video,
        language: "en",
        body: Body::File(EN_VTT),
        expected: StatusCode::FORBIDDEN,
    },
    Row {
        sentence: "a vendor (an uploader of files) may not caption a course",
        who: Who::Vendor,
        target: Target::Video,
        language: "en",
        body: Body::File(EN_VTT),
        expected: StatusCode::FORBIDDEN,
    },
    Row {
        sentence: "an instructor may not caption someone else's course",
        who: Who::OtherTeacher,
        target: Target::Video,
        language: "en",
        body: Body::File(EN_VTT),
        expected: StatusCode::NOT_FOUND,
    },
    Row {
        sentence: "an unknown lesson is a 404",
        who: Who::Teacher,
        target: Target::UnknownLesson,
        language: "en",
        body: Body::File(EN_VTT),
        expected: StatusCode::NOT_FOUND,
    },
    Row {
        sentence: "an unknown course is a 404",
        who: Who::Teacher,
        target: Target::UnknownCourse,
        language: "en",
        body: Body::File(EN_VTT),
        expected: StatusCode::NOT_FOUND,
    },
    Row {
        sentence: "a reading lesson has no video to caption",
        who: Who::Teacher,
        target: Target::Reading,
        language: "en",
        body: Body::File(EN_VTT),
        expected: StatusCode::CONFLICT,
    },
    Row {
        sentence: "an SRT file is not WebVTT",
        who: Who::Teacher,
        target: Target::Video,
        language: "en",
        body: Body::File(b"1\n00:00:00,000 --> 00:00:01,000\nHello\n"),
        expected: StatusCode::UNSUPPORTED_MEDIA_TYPE,
    },
    Row {
        sentence: "an HTML page dressed as captions is refused",
        who: Who::Teacher,
        target: Target::Video,
        language: "en",
        body: Body::File(b"<html><script>alert(1)</script></html>"),
        expected: StatusCode::UNSUPPORTED_MEDIA_TYPE,
    },
    Row {
        sentence: "binary bytes behind a WEBVTT line are not text",
        who: Who::Teacher,
        target: Target::Video,
        language: "en",
        body: Body::File(b"WEBVTT\n\xFF\xFE\x00\x01"),
        expected: StatusCode::UNSUPPORTED_MEDIA_TYPE,
    },
    Row {
        sentence: "a caption file over media.max_caption_bytes is refused",
        who: Who::Teacher,
        target: Target::Video,
        language: "en",
        body: Body::TooLarge,
        expected: StatusCode::PAYLOAD_TOO_LARGE,
    },
    Row {
        sentence: "a language that is no BCP 47 tag is refused",
        who: Who::Teacher,
        target: Target::Video,
        language: "english",
        body: Body::File(EN_VTT),
        expected: StatusCode::UNPROCESSABLE_ENTITY,
    },
    Row {
        sentence: "the undetermined language names no track",
        who: Who::Teacher,
        target: Target::Video,
        language: "und",
        body: Body::File(EN_VTT),
        expected: StatusCode::UNPROCESSABLE_ENTITY,
    },
    Row {
        sentence: "a label over 100 characters is refused",
        who: Who::Teacher,
        target: Target::Video,
        language: "en",
        body: Body::Label(
            "a label far too long for any caption menu, repeated until it is well over one hundred characters long, really",
        ),
        expected: StatusCode::UNPROCESSABLE_ENTITY,
    },
    Row {
        sentence: "an upload without a file field is refused",
        who: Who::Teacher,
        target: Target::Video,
        language: "en",
        body: Body::NoFile,
        expected: StatusCode::UNPROCESSABLE_ENTITY,
    },
    Row {
        sentence: "a JSON body is not an upload",
        who: Who::Teacher,
        target: Target::Video,
        language: "en",
        body: Body::Json,
        expected: StatusCode::UNSUPPORTED_MEDIA_TYPE,
    },
];

/// `(caption rows, media rows, audit rows, files in the local store)`.
async fn written(app: &TestApp) -> (i64, i64, i64, usize) {
    let (captions, media, audit) = app
        .state
        .db
        .read(|conn| {
            let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
            Ok((
                count("SELECT COUNT(*) FROM lesson_captions")?,
                count("SELECT COUNT(*) FROM media")?,
                count("SELECT COUNT(*) FROM audit_log")?,
            ))
        })
        .await
        .unwrap();
    let root = app.state.config.data_dir.join("media");
    let files = std::fs::read_dir(&root)
        .map(|dirs| {
            dirs.flatten()
                .filter(|d| d.file_name() != "tmp")
                .filter_map(|d| std::fs::read_dir(d.path()).ok())
                .map(|files| files.count())
                .sum::<usize>()
        })
        .unwrap_or(0);
    (captions, media, audit, files)
}

#[tokio::test]
async fn abusive_caption_uploads_are_refused_and_write_nothing() {
    let app = spawn_app_with(|config| config.media.max_caption_bytes = LIMIT).await;
    let c = cast(&app).await;
    let (course_id, video_id) = video_course(&app, &c.teacher.token, false).await;
    let (_, section) = app
        .get(
            &format!("/api/courses/{course_id}/lessons"),
            Some(&c.teacher.token),
        )
        .await;
    let section_id = section["sections"][0]["id"].clone();
    let (_, reading) = app
        .post(
            &format!("/api/courses/{course_id}/lessons"),
            json!({"section_id": section_id, "content_type": "reading", "title": "Read",
                "body_markdown": "Words"}),
            Some(&c.teacher.token),
        )
        .await;
    let reading_id = reading["id"].as_str().unwrap().to_string();
    crate::learning::captions::put_caption(
        &app,
        &c.teacher.token,
        (course_id.as_str(), video_id.as_str()),
        "fr",
        "Français",
        EN_VTT,
    )
    .await;
    crate::catalog::enrol(&app, &c.student.id, &course_id).await;
    let before = written(&app).await;
    let too_large: Vec<u8> = {
        let mut v = b"WEBVTT\n\n".to_vec();
        v.resize(LIMIT as usize + 1, b'a');
        v
    };
    for row in ROWS {
        let token = match row.who {
            Who::Teacher => Some(c.teacher.token.as_str()),
            Who::OtherTeacher => Some(c.teacher2.token.as_str()),
            Who::Student => Some(c.student.token.as_str()),
            Who::Vendor => Some(c.vendor.token.as_str()),
            Who::Nobody => None,
        };
        let (course, lesson) = match row.target {
            Target::Video => (course_id.as_str(), video_id.as_str()),
            Target::Reading => (course_id.as_str(), reading_id.as_str()),
            Target::UnknownLesson => (course_id.as_str(), "no-such-lesson"),
            Target::UnknownCourse => ("no-such-course", video_id.as_str()),
        };
        let path = format!(
            "/api/courses/{course}/lessons/{lesson}/captions/{}",
            row.language
        );
        let (content_type, body) = match row.body {
            Body::File(bytes) => multipart(&[("file", Some("c.vtt"), bytes)]),
            Body::Label(label) => multipart(&[
                ("label", None, label.as_bytes()),
                ("file", Some("c.vtt"), EN_VTT),
            ]),
            Body::TooLarge => multipart(&[("file", Some("c.vtt"), too_large.as_slice())]),
            Body::NoFile => multipart(&[("label", None, b"English".as_slice())]),
            Body::Json => (
                "application/json".to_string(),
                br#"{"file": "WEBVTT"}"#.to_vec(),
            ),
        };
        let (status, answer) = put_raw(&app, token, &path, &content_type, body).await;
        assert_eq!(status, row.expected, "{}: {answer}", row.sentence);
        assert_eq!(
            answer["status"],
            row.expected.as_u16(),
            "{}: a problem document, {answer}",
            row.sentence
        );
        assert_eq!(
            written(&app).await,
            before,
            "{}: nothing is written",
            row.sentence
        );
    }
}

#[tokio::test]
async fn twenty_parallel_uploads_in_one_language_leave_one_caption() {
    let app = spawn_app_with(|_| {}).await;
    let c = cast(&app).await;
    let (course_id, lesson_id) = video_course(&app, &c.teacher.token, false).await;
    let answers = futures::future::join_all((0..20).map(|i| {
        let (app, token) = (&app, c.teacher.token.clone());
        let (course_id, lesson_id) = (course_id.clone(), lesson_id.clone());
        async move {
            let vtt = format!("WEBVTT\n\n00:00.000 --> 00:01.000\nTake {i}\n").into_bytes();
            let label = format!("Deutsch {i}");
            put_caption(
                app,
                &token,
                (course_id.as_str(), lesson_id.as_str()),
                "de",
                &label,
                &vtt,
            )
            .await
            .0
        }
    }))
    .await;
    let created = answers
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let replaced = answers.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!((created, replaced), (1, 19), "{answers:?}");
    let rows: i64 = app
        .state
        .db
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT COUNT(*) FROM lesson_captions WHERE language = 'de'",
                [],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(rows, 1, "one caption per lesson and language");
}
