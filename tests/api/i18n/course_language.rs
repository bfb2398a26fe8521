//! A course's language: the school's default unless given, validated, and a catalogue filter.

use reqwest::StatusCode;
use schoolhouse::users::Role;
use serde_json::{Value, json};

use crate::support::{spawn_app_with, uuid_suffix};

fn titles(list: &Value) -> Vec<String> {
    let mut titles: Vec<String> = list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    titles
}

#[tokio::test]
async fn courses_have_a_language_the_catalogue_can_be_filtered_by() {
    let app = spawn_app_with(|c| c.site.default_locale = "fr".into()).await;
    let teacher = app
        .user(
            Role::Instructor,
            &format!("t-{}@example.com", uuid_suffix()),
        )
        .await;
    let mut ids = Vec::new();
    for (title, language) in [
        ("Cuisine", None),
        ("Rust", Some("en")),
        ("Québécois", Some("fr-CA")),
    ] {
        let mut body = json!({ "title": title, "price_cents": 0, "status": "published" });
        if let Some(language) = language {
            body["language"] = json!(language);
        }
        let (status, course) = app.post("/api/courses", body, Some(&teacher.token)).await;
        assert_eq!(status, StatusCode::CREATED, "{course}");
        assert_eq!(course["language"], language.unwrap_or("fr"), "{course}");
        ids.push(course["id"].as_str().unwrap().to_string());
    }
    let (_, french) = app.get("/api/courses?language=fr", None).await;
    assert_eq!(titles(&french), ["Cuisine", "Québécois"]);
    let (_, english) = app.get("/api/courses?language=en", None).await;
    assert_eq!(titles(&english), ["Rust"]);
    let (_, detail) = app.get(&format!("/api/courses/{}", ids[1]), None).await;
    assert_eq!(detail["language"], "en");

    let (status, body) = app.get("/api/courses?language=not a code", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app.get("/api/products?language=fr", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // A bad code changes nothing.
    let (status, body) = app
        .put(
            &format!("/api/courses/{}", ids[1]),
            json!({ "language": "english!", "title": "Renamed" }),
            Some(&teacher.token),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, detail) = app.get(&format!("/api/courses/{}", ids[1]), None).await;
    assert_eq!(detail["language"], "en");
    assert_eq!(detail["title"], "Rust");
}
