//! Course content: sections and lessons authoring, outline vs content visibility, quiz
//! answers, and media upload/serving.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_RANGE, CONTENT_TYPE, RANGE};
use serde_json::{Value, json};

use crate::catalog::{cast, course};
use crate::support::{PASSWORD, TestApp, assert_problem, spawn_app, spawn_app_with};

/// Inserts an active enrolment the way the learning feature will.
pub async fn enrol(app: &TestApp, user_id: &str, course_id: &str) {
    let (user_id, course_id) = (user_id.to_string(), course_id.to_string());
    let now = app.state.now_text();
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "INSERT INTO enrollments (id, user_id, course_id, status, source, enrolled_at, updated_at)
                 VALUES (?1, ?2, ?3, 'active', 'manual', ?4, ?4)",
                [uuid::Uuid::now_v7().to_string(), user_id.clone(), course_id.clone(), now.clone()],
            )?;
            Ok(())
        })
        .await
        .unwrap();
}

struct Built {
    course_id: String,
    section_id: String,
    reading_id: String,
    quiz_id: String,
    preview_id: String,
}

async fn build_course(app: &TestApp, token: &str) -> Built {
    let k = course(
        app,
        token,
        json!({"title": "Content", "price_cents": 1000, "status": "published"}),
    )
    .await;
    let course_id = k["id"].as_str().unwrap().to_string();
    let base = format!("/api/courses/{course_id}");
    let (status, section) = app
        .post(
            &format!("{base}/sections"),
            json!({"title": "Week 1"}),
            Some(token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{section}");
    let section_id = section["id"].as_str().unwrap().to_string();
    let lesson = |body: Value| {
        let mut body = body;
        body["section_id"] = json!(section_id);
        body
    };
    let (status, preview) = app
        .post(
            &format!("{base}/lessons"),
            lesson(json!({"content_type": "video", "title": "Welcome",
            "is_preview": true, "content_url": "https://video.example/w", "duration_seconds": 60})),
            Some(token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{preview}");
    let (status, reading) = app
        .post(
            &format!("{base}/lessons"),
            lesson(json!({"content_type": "reading", "title": "Read",
            "body_markdown": "# Hi\n<script>x</script>", "duration_seconds": 120})),
            Some(token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reading}");
    let (status, quiz) = app
        .post(
            &format!("{base}/lessons"),
            lesson(json!({"content_type": "quiz", "title": "Check",
            "questions": [
                {"kind": "single_choice", "prompt": "2+2?", "options": ["3", "4"], "answer": 1},
                {"kind": "true_false", "prompt": "Sky blue?", "answer": true},
                {"kind": "short_text", "prompt": "Capital of France?", "answer": ["Paris"]}
            ]})),
            Some(token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{quiz}");
    assert_eq!(
        quiz["content"]["questions"][0]["answer"], 1,
        "authors see answers"
    );
    Built {
        course_id,
        section_id: section_id.clone(),
        reading_id: reading["id"].as_str().unwrap().into(),
        quiz_id: quiz["id"].as_str().unwrap().into(),
        preview_id: preview["id"].as_str().unwrap().into(),
    }
}

fn lessons(outline: &Value) -> Vec<Value> {
    outline["sections"][0]["lessons"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn outline_for_everyone_content_for_the_enrolled_owner_admin_and_previews() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let b = build_course(&app, &c.teacher.token).await;
    let path = format!("/api/courses/{}/lessons", b.course_id);

    let (_, anon) = app.get(&path, None).await;
    let ls = lessons(&anon);
    assert_eq!(ls.len(), 3);
    assert_eq!(
        ls.iter()
            .map(|l| l["position"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [0, 1, 2]
    );
    assert_eq!(
        (
            ls[0]["locked"].clone(),
            ls[0]["content"]["content_url"].clone()
        ),
        (json!(false), json!("https://video.example/w"))
    );
    assert!(ls[1]["locked"].as_bool().unwrap() && ls[1].get("content").is_none());
    assert!(ls[2]["locked"].as_bool().unwrap() && ls[2].get("content").is_none());

    let (_, outsider) = app.get(&path, Some(&c.student.token)).await;
    assert_eq!(outsider["access"], "none");
    let single = format!("{path}/{}", b.reading_id);
    let (status, problem) = app.get(&single, Some(&c.student.token)).await;
    assert_problem(status, &problem, StatusCode::FORBIDDEN);
    assert!(problem["detail"].as_str().unwrap().contains("enrol"));
    let (status, _) = app.get(&format!("{path}/{}", b.preview_id), None).await;
    assert_eq!(status, StatusCode::OK);

    enrol(&app, &c.student.id, &b.course_id).await;
    let (_, enrolled) = app.get(&path, Some(&c.student.token)).await;
    assert_eq!(enrolled["access"], "enrolled");
    let ls = lessons(&enrolled);
    assert!(ls.iter().all(|l| l["locked"] == false));
    let html = ls[1]["content"]["body_html"].as_str().unwrap();
    assert!(
        html.contains("<h1>Hi</h1>") && !html.contains("<script>"),
        "{html}"
    );
    let (status, reading) = app.get(&single, Some(&c.student.token)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(reading["content"].get("body_markdown").is_none());

    for token in [&c.teacher.token, &c.admin.token] {
        let (_, owner) = app.get(&path, Some(token)).await;
        assert_eq!(owner["access"], "manager");
        assert!(lessons(&owner).iter().all(|l| l["content"].is_object()));
    }
}

#[tokio::test]
async fn quiz_answers_never_reach_a_student() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let b = build_course(&app, &c.teacher.token).await;
    enrol(&app, &c.student.id, &b.course_id).await;
    let path = format!("/api/courses/{}/lessons", b.course_id);
    let (_, outline) = app.get(&path, Some(&c.student.token)).await;
    let (_, quiz) = app
        .get(&format!("{path}/{}", b.quiz_id), Some(&c.student.token))
        .await;
    for body in [&outline, &quiz] {
        let text = body.to_string();
        assert!(text.contains("Capital of France?"), "{text}");
        assert!(
            !text.contains("answer") && !text.contains("Paris"),
            "{text}"
        );
    }
    let (_, authoring) = app
        .get(&format!("{path}/{}", b.quiz_id), Some(&c.teacher.token))
        .await;
    assert_eq!(
        authoring["content"]["questions"][2]["answer"],
        json!(["Paris"])
    );
}

#[tokio::test]
async fn drip_lessons_open_days_after_enrolment() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let b = build_course(&app, &c.teacher.token).await;
    let path = format!("/api/courses/{}/lessons/{}", b.course_id, b.reading_id);
    let (status, _) = app
        .put(
            &path,
            json!({"available_after_days": 3}),
            Some(&c.teacher.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    enrol(&app, &c.student.id, &b.course_id).await;
    let (status, problem) = app.get(&path, Some(&c.student.token)).await;
    assert_problem(status, &problem, StatusCode::FORBIDDEN);
    app.state.clock.advance(time::Duration::days(3));
    let student = app.login(&c.student.email, PASSWORD).await;
    let (status, _) = app.get(&path, Some(&student.token)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn lesson_authoring_rules_and_matrix() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let b = build_course(&app, &c.teacher.token).await;
    let base = format!("/api/courses/{}", b.course_id);
    let new_lesson = json!({"section_id": b.section_id, "content_type": "reading", "title": "More", "body_markdown": "x"});
    let bad_quiz = json!({"section_id": b.section_id, "content_type": "quiz", "title": "Q",
        "questions": [{"kind": "multiple_choice", "prompt": "?", "options": ["a", "b"], "answer": [5]}]});
    let (status, problem) = app
        .post(&format!("{base}/lessons"), bad_quiz, Some(&c.teacher.token))
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "questions[0].answer");
    let rows = [
        (
            "POST",
            format!("{base}/lessons"),
            new_lesson.clone(),
            &c.teacher2,
            StatusCode::NOT_FOUND,
        ),
        (
            "POST",
            format!("{base}/lessons"),
            new_lesson.clone(),
            &c.student,
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            format!("{base}/lessons"),
            new_lesson.clone(),
            &c.vendor,
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            format!("{base}/lessons"),
            new_lesson,
            &c.admin,
            StatusCode::CREATED,
        ),
        (
            "POST",
            format!("{base}/sections"),
            json!({"title": "S"}),
            &c.teacher2,
            StatusCode::NOT_FOUND,
        ),
        (
            "POST",
            format!("{base}/sections"),
            json!({"title": "S"}),
            &c.student,
            StatusCode::FORBIDDEN,
        ),
        (
            "PUT",
            format!("{base}/sections/{}", b.section_id),
            json!({"title": "W"}),
            &c.teacher2,
            StatusCode::NOT_FOUND,
        ),
        (
            "PUT",
            format!("{base}/sections/{}", b.section_id),
            json!({"title": "W"}),
            &c.teacher,
            StatusCode::OK,
        ),
        (
            "PUT",
            format!("{base}/lessons/{}", b.reading_id),
            json!({"title": "R"}),
            &c.teacher2,
            StatusCode::NOT_FOUND,
        ),
        (
            "PUT",
            format!("{base}/lessons/{}", b.reading_id),
            json!({"title": "R"}),
            &c.student,
            StatusCode::FORBIDDEN,
        ),
        (
            "DELETE",
            format!("{base}/lessons/{}", b.preview_id),
            Value::Null,
            &c.teacher2,
            StatusCode::NOT_FOUND,
        ),
        (
            "DELETE",
            format!("{base}/lessons/{}", b.preview_id),
            Value::Null,
            &c.teacher,
            StatusCode::NO_CONTENT,
        ),
        (
            "GET",
            format!("{base}/sections"),
            Value::Null,
            &c.student,
            StatusCode::FORBIDDEN,
        ),
        (
            "GET",
            format!("{base}/sections"),
            Value::Null,
            &c.teacher2,
            StatusCode::NOT_FOUND,
        ),
    ];
    for (method, path, body, user, expected) in rows {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let body = (!body.is_null()).then_some(body);
        let (status, answer) = app.call(m, &path, body, Some(&user.token)).await;
        assert_eq!(
            status, expected,
            "{method} {path} as {}: {answer}",
            user.email
        );
    }
    // After deleting the first lesson, positions are contiguous; reorder reverses them.
    let (_, sections) = app
        .get(&format!("{base}/sections"), Some(&c.teacher.token))
        .await;
    let ids: Vec<String> = sections[0]["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        sections[0]["lessons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["position"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [0, 1, 2]
    );
    let reversed: Vec<String> = ids.iter().rev().cloned().collect();
    let (status, after) = app
        .post(
            &format!("{base}/lessons/reorder"),
            json!({"section_id": b.section_id, "lesson_ids": reversed}),
            Some(&c.teacher.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after[0]["lessons"][0]["id"], json!(ids[2]));
    let (status, problem) = app
        .post(
            &format!("{base}/lessons/reorder"),
            json!({"section_id": b.section_id, "lesson_ids": [ids[0]]}),
            Some(&c.teacher.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "lesson_ids");
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

pub async fn upload(app: &TestApp, token: &str, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    let boundary = "catalogue-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let response = app
        .client
        .post(app.url("/api/media"))
        .bearer_auth(token)
        .header(
            CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn media_upload_range_signed_urls_and_bad_files() {
    let app = spawn_app_with(|config| config.media.max_upload_bytes = 4096).await;
    let c = cast(&app).await;
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend((0..200u8).collect::<Vec<_>>());
    let (status, media) = upload(&app, &c.teacher.token, "notes.pdf", pdf.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{media}");
    assert_eq!(media["mime"], "application/pdf");
    let url = media["url"].as_str().unwrap().to_string();

    let part = app
        .client
        .get(app.url(&url))
        .header(RANGE, "bytes=5-14")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        part.headers()[CONTENT_RANGE],
        format!("bytes 5-14/{}", pdf.len()).as_str()
    );
    assert_eq!(part.headers()[CONTENT_TYPE], "application/pdf");
    assert_eq!(part.bytes().await.unwrap().as_ref(), &pdf[5..15]);
    let whole = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert!(
        whole.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("private")
    );
    let beyond = app
        .client
        .get(app.url(&url))
        .header(RANGE, "bytes=5000-")
        .send()
        .await
        .unwrap();
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);

    let id = media["id"].as_str().unwrap();
    let (status, _) = app.get(&format!("/media/{id}"), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "unsigned private media");
    let tampered = url.replace("sig=", "sig=00");
    let (status, _) = app.get(&tampered, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, problem) = upload(
        &app,
        &c.vendor.token,
        "cat.png",
        b"just some text, not a picture".to_vec(),
    )
    .await;
    assert_problem(status, &problem, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let mut big = PNG.to_vec();
    big.resize(5000, 0);
    let (status, problem) = upload(&app, &c.vendor.token, "big.png", big).await;
    assert_problem(status, &problem, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _) = upload(&app, &c.student.token, "a.png", PNG.to_vec()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let leftovers = std::fs::read_dir(app.dir.path().join("media/tmp"))
        .unwrap()
        .count();
    assert_eq!(leftovers, 0, "temp files are cleaned up");
    app.state.clock.advance(time::Duration::minutes(61));
    let (status, problem) = app.get(&url, None).await;
    assert_problem(status, &problem, StatusCode::FORBIDDEN);
    assert!(problem["detail"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn product_images_are_public_and_lesson_media_is_signed() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let (_, image) = upload(&app, &c.vendor.token, "p.png", PNG.to_vec()).await;
    let (status, p) = app
        .post(
            "/api/products",
            json!({"name": "Poster", "kind": "physical", "price_cents": 500,
            "stock_quantity": 2, "image_ids": [image["id"]], "status": "published"}),
            Some(&c.vendor.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let public = app
        .client
        .get(app.url(p["images"][0]["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), StatusCode::OK);
    assert_eq!(public.headers()[CONTENT_TYPE], "image/png");
    assert_eq!(public.bytes().await.unwrap().as_ref(), PNG);
    // Someone else's upload cannot be attached by a vendor; admins may attach any.
    let (status, problem) = app
        .post(
            "/api/products",
            json!({"name": "Copy", "kind": "digital", "price_cents": 1,
            "image_ids": [image["id"]]}),
            Some(&c.vendor2.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "image_ids");
    let (status, problem) = app
        .put(
            &format!("/api/products/{}", p["id"].as_str().unwrap()),
            json!({"image_ids": [image["id"]]}),
            Some(&c.admin.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "admins may: {problem}");

    let (_, video) = upload(
        &app,
        &c.teacher.token,
        "v.mp4",
        b"\0\0\0\x18ftypmp42\0\0\0\0".to_vec(),
    )
    .await;
    let k = course(
        &app,
        &c.teacher.token,
        json!({"title": "Video", "price_cents": 0, "status": "published"}),
    )
    .await;
    let base = format!("/api/courses/{}", k["id"].as_str().unwrap());
    let (_, s) = app
        .post(
            &format!("{base}/sections"),
            json!({"title": "S"}),
            Some(&c.teacher.token),
        )
        .await;
    let (status, problem) = app
        .post(
            &format!("{base}/lessons"),
            json!({"section_id": s["id"], "content_type": "video", "title": "V",
            "media_id": image["id"]}),
            Some(&c.teacher.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, lesson) = app
        .post(
            &format!("{base}/lessons"),
            json!({"section_id": s["id"], "content_type": "video", "title": "V",
            "media_id": video["id"], "is_preview": true}),
            Some(&c.teacher.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{lesson}");
    let (_, outline) = app.get(&format!("{base}/lessons"), None).await;
    let url = outline["sections"][0]["lessons"][0]["content"]["media_url"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(url.contains("sig="));
    let served = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(served.headers()[CONTENT_TYPE], "video/mp4");
}
