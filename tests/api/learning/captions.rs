//! Captions and transcripts of video lessons (issue 29): WebVTT files per language uploaded by
//! the course's instructor, replaced per language, removed, and served to learners under the
//! lesson video's own access rules (signed links; the bucket store's presigned redirects).

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, LOCATION};
use schoolhouse::config::media::{Delivery, S3Config, StoreKind};
use serde_json::{Value, json};

use crate::catalog::{cast, course, enrol, upload};
use crate::support::{TestApp, spawn_app, spawn_app_with, uuid_suffix};

pub const EN_VTT: &[u8] = b"WEBVTT\n\n00:00.000 --> 00:05.000\nHello, class.\n";
pub const FR_VTT: &[u8] = b"WEBVTT\n\n00:00.000 --> 00:05.000\nBonjour, la classe.\n";

/// A course of `token`'s with one section and one video lesson (an uploaded MP4, `preview`
/// or not); returns `(course_id, lesson_id)`.
pub async fn video_course(app: &TestApp, token: &str, preview: bool) -> (String, String) {
    let video = format!("\0\0\0\x18ftypmp42\0\0\0\0 video {}", uuid_suffix()).into_bytes();
    let (status, media) = upload(app, token, "v.mp4", video).await;
    assert_eq!(status, StatusCode::CREATED, "{media}");
    let k = course(
        app,
        token,
        json!({"title": "Captioned", "price_cents": 1000, "status": "published"}),
    )
    .await;
    let course_id = k["id"].as_str().unwrap().to_string();
    let base = format!("/api/courses/{course_id}");
    let (_, s) = app
        .post(
            &format!("{base}/sections"),
            json!({"title": "S"}),
            Some(token),
        )
        .await;
    let (status, lesson) = app
        .post(
            &format!("{base}/lessons"),
            json!({"section_id": s["id"], "content_type": "video", "title": "Talk",
                "media_id": media["id"], "is_preview": preview,
                "transcript": "Hello, *class*."}),
            Some(token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{lesson}");
    (course_id, lesson["id"].as_str().unwrap().to_string())
}

/// A multipart body of `parts`: `(field name, file name or none, bytes)`.
pub fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "captions-test-boundary";
    let mut body = Vec::new();
    for (name, file_name, bytes) in parts {
        let file = file_name.map_or(String::new(), |f| format!("; filename=\"{f}\""));
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\n\r\n"
            )
            .into_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `PUT .../captions/{language}` with a raw body.
pub async fn put_raw(
    app: &TestApp,
    token: Option<&str>,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut request = app
        .client
        .put(app.url(path))
        .header(CONTENT_TYPE, content_type)
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Uploads a caption file with a label.
pub async fn put_caption(
    app: &TestApp,
    token: &str,
    lesson: (&str, &str),
    language: &str,
    label: &str,
    vtt: &[u8],
) -> (StatusCode, Value) {
    let (course_id, lesson_id) = lesson;
    let path = format!("/api/courses/{course_id}/lessons/{lesson_id}/captions/{language}");
    let (content_type, body) = multipart(&[
        ("label", None, label.as_bytes()),
        ("file", Some("talk.vtt"), vtt),
    ]);
    put_raw(app, Some(token), &path, &content_type, body).await
}

fn captions(lesson: &Value) -> Vec<Value> {
    lesson["content"]["captions"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn lesson_as(app: &TestApp, token: Option<&str>, ids: (&str, &str)) -> (StatusCode, Value) {
    app.get(&format!("/api/courses/{}/lessons/{}", ids.0, ids.1), token)
        .await
}

#[tokio::test]
async fn an_instructor_adds_captions_per_language_and_a_reupload_replaces_one() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let (course_id, lesson_id) = video_course(&app, &c.teacher.token, false).await;
    let ids = (course_id.as_str(), lesson_id.as_str());
    let (status, en) = put_caption(&app, &c.teacher.token, ids, "en", "English", EN_VTT).await;
    assert_eq!(status, StatusCode::CREATED, "{en}");
    assert_eq!(en["language"], "en");
    assert_eq!(en["label"], "English");
    let (status, fr) =
        put_caption(&app, &c.teacher.token, ids, "FR", "Francais", b"WEBVTT\n").await;
    assert_eq!(status, StatusCode::CREATED, "{fr}");
    assert_eq!(fr["language"], "fr", "the tag is kept in canonical case");
    let (status, again) = put_caption(&app, &c.teacher.token, ids, "fr", "Français", FR_VTT).await;
    assert_eq!(status, StatusCode::OK, "a second upload replaces: {again}");

    let (_, lesson) = lesson_as(&app, Some(&c.teacher.token), ids).await;
    let list = captions(&lesson);
    let tags: Vec<&str> = list
        .iter()
        .map(|c| c["language"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["en", "fr"], "one caption per language: {lesson}");
    assert_eq!(list[1]["label"], "Français");
    let french = app
        .client
        .get(app.url(list[1]["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(french.status(), StatusCode::OK);
    assert_eq!(french.headers()[CONTENT_TYPE], "text/vtt");
    assert_eq!(
        french.bytes().await.unwrap().as_ref(),
        FR_VTT,
        "the new file"
    );
    // The outline the course content page reads carries them too.
    let (_, outline) = app
        .get(
            &format!("/api/courses/{course_id}/lessons"),
            Some(&c.teacher.token),
        )
        .await;
    assert_eq!(captions(&outline["sections"][0]["lessons"][0]).len(), 2);
}

#[tokio::test]
async fn captions_reach_only_those_who_may_watch_the_video() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let (course_id, lesson_id) = video_course(&app, &c.teacher.token, false).await;
    let ids = (course_id.as_str(), lesson_id.as_str());
    let (_, en) = put_caption(&app, &c.teacher.token, ids, "en", "English", EN_VTT).await;

    let (status, locked) = lesson_as(&app, Some(&c.student.token), ids).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{locked}");
    let (_, outline) = app
        .get(
            &format!("/api/courses/{course_id}/lessons"),
            Some(&c.student.token),
        )
        .await;
    let text = outline.to_string();
    assert!(
        !text.contains("captions") && !text.contains("/media/"),
        "{text}"
    );
    // The caption's file is no public file: without a signature it is refused.
    let url = en["url"].as_str().unwrap();
    let unsigned = url.split('?').next().unwrap();
    let answer = app.client.get(app.url(unsigned)).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);

    enrol(&app, &c.student.id, &course_id).await;
    let (status, lesson) = lesson_as(&app, Some(&c.student.token), ids).await;
    assert_eq!(status, StatusCode::OK, "{lesson}");
    let list = captions(&lesson);
    assert_eq!(list.len(), 1, "{lesson}");
    let served = app
        .client
        .get(app.url(list[0]["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(served.bytes().await.unwrap().as_ref(), EN_VTT);
    assert_eq!(
        lesson["content"]["transcript_html"]
            .as_str()
            .unwrap()
            .trim(),
        "<p>Hello, <em>class</em>.</p>"
    );
    assert!(
        lesson["content"].get("transcript").is_none(),
        "learners get the rendered transcript, not its source"
    );
    // The signed link expires with the video's.
    app.state.clock.advance(time::Duration::minutes(61));
    let late = app
        .client
        .get(app.url(list[0]["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(late.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_free_preview_video_gives_visitors_its_captions() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let (course_id, lesson_id) = video_course(&app, &c.teacher.token, true).await;
    let ids = (course_id.as_str(), lesson_id.as_str());
    put_caption(&app, &c.teacher.token, ids, "fr", "Français", FR_VTT).await;
    let (status, lesson) = lesson_as(&app, None, ids).await;
    assert_eq!(status, StatusCode::OK, "{lesson}");
    let list = captions(&lesson);
    assert_eq!(list.len(), 1);
    let served = app
        .client
        .get(app.url(list[0]["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_caption_is_removed_by_language_and_a_second_removal_is_404() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let (course_id, lesson_id) = video_course(&app, &c.teacher.token, false).await;
    let ids = (course_id.as_str(), lesson_id.as_str());
    put_caption(&app, &c.teacher.token, ids, "en", "English", EN_VTT).await;
    put_caption(&app, &c.teacher.token, ids, "fr", "Français", FR_VTT).await;
    let path = format!("/api/courses/{course_id}/lessons/{lesson_id}/captions/fr");
    let (status, body) = app.delete(&path, Some(&c.student.token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = app.delete(&path, Some(&c.teacher2.token)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "someone else's course: {body}"
    );
    let (status, _) = app.delete(&path, Some(&c.teacher.token)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.delete(&path, Some(&c.admin.token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (_, lesson) = lesson_as(&app, Some(&c.teacher.token), ids).await;
    let tags: Vec<Value> = captions(&lesson)
        .iter()
        .map(|c| c["language"].clone())
        .collect();
    assert_eq!(tags, [json!("en")]);
}

#[tokio::test]
async fn the_transcript_is_edited_with_the_lesson_and_cleared_by_null() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let (course_id, lesson_id) = video_course(&app, &c.teacher.token, false).await;
    let path = format!("/api/courses/{course_id}/lessons/{lesson_id}");
    let (status, lesson) = app
        .put(
            &path,
            json!({"transcript": "New words"}),
            Some(&c.teacher.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{lesson}");
    assert_eq!(lesson["content"]["transcript"], "New words");
    let (status, lesson) = app
        .put(&path, json!({"title": "Renamed"}), Some(&c.teacher.token))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        lesson["content"]["transcript"], "New words",
        "absent keeps it"
    );
    let (_, lesson) = app
        .put(&path, json!({"transcript": null}), Some(&c.teacher.token))
        .await;
    assert!(lesson["content"].get("transcript").is_none(), "{lesson}");
    assert!(lesson["content"].get("transcript_html").is_none());
}

/// The object store the test script started (see catalog/media_s3.rs).
fn s3_config(prefix: &str) -> S3Config {
    let var = |name: &str| {
        std::env::var(name).unwrap_or_else(|_| {
            panic!("{name} is not set: start the S3 peer (tests/support/s3/start.sh) and source its env file")
        })
    };
    S3Config {
        bucket: var("S3_BUCKET"),
        endpoint: var("S3_ENDPOINT"),
        region: var("S3_REGION"),
        access_key_id: var("S3_ACCESS_KEY"),
        secret_access_key: var("S3_SECRET_KEY"),
        prefix: prefix.into(),
        delivery: Delivery::Redirect,
        public_url: String::new(),
    }
}

#[tokio::test]
async fn with_the_bucket_store_captions_are_stored_there_and_pass_through_the_signed_link() {
    let prefix = format!("cap{}", uuid_suffix());
    let app = spawn_app_with(|config| {
        config.media.store = StoreKind::S3;
        config.media.s3 = s3_config(&prefix);
    })
    .await;
    let c = cast(&app).await;
    let (course_id, lesson_id) = video_course(&app, &c.teacher.token, false).await;
    let ids = (course_id.as_str(), lesson_id.as_str());
    let (status, fr) = put_caption(&app, &c.teacher.token, ids, "fr", "Français", FR_VTT).await;
    assert_eq!(status, StatusCode::CREATED, "{fr}");
    let local = app.state.config.data_dir.join("media");
    let on_disk = std::fs::read_dir(&local)
        .map(|d| d.flatten().filter(|e| e.file_name() != "tmp").count())
        .unwrap_or(0);
    assert_eq!(on_disk, 0, "the bucket store keeps nothing on disk");
    enrol(&app, &c.student.id, &course_id).await;
    let (_, lesson) = lesson_as(&app, Some(&c.student.token), ids).await;
    let url = captions(&lesson)[0]["url"].as_str().unwrap().to_string();
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // The video redirects to the bucket; a <track> cannot follow that across origins, so
    // the caption comes through the server, behind the same signed link.
    let video = lesson["content"]["media_url"].as_str().unwrap();
    let answer = plain.get(app.url(video)).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::TEMPORARY_REDIRECT);
    let answer = plain.get(app.url(&url)).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.headers().get(LOCATION).is_none());
    assert_eq!(answer.headers()[CONTENT_TYPE], "text/vtt");
    assert_eq!(answer.bytes().await.unwrap().as_ref(), FR_VTT);
    let unsigned = plain
        .get(app.url(url.split('?').next().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::FORBIDDEN);
    // Once the signed link has expired, nothing is served.
    app.state.clock.advance(time::Duration::minutes(61));
    let late = plain.get(app.url(&url)).send().await.unwrap();
    assert_eq!(late.status(), StatusCode::FORBIDDEN);
}
