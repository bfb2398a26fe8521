//! The OpenAPI description: served, complete, and covering every API route in the code.

use reqwest::StatusCode;

use crate::support::spawn_app;

/// Routes deliberately outside the OpenAPI document: the document itself, its viewer, and
/// non-JSON endpoints (media files, Prometheus metrics).
const UNDOCUMENTED: &[&str] = &["/api/openapi.json", "/api/docs", "/media/{id}", "/metrics"];

#[tokio::test]
async fn openapi_document_is_served_with_bearer_security_and_problem_schema() {
    let app = spawn_app().await;
    let (status, doc) = app.get("/api/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    for path in [
        "/api/auth/register",
        "/api/auth/login",
        "/api/auth/refresh",
        "/api/auth/logout",
        "/api/users/me",
        "/api/setup",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the document"
        );
    }
    // Shared extractor errors are documented on every operation with a JSON body.
    let register = &doc["paths"]["/api/auth/register"]["post"]["responses"];
    for code in ["400", "413", "415", "422"] {
        assert!(register[code].is_object(), "register lacks {code}");
    }
}

#[tokio::test]
async fn api_docs_page_is_served_without_any_cdn() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/api/docs")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("/vendor/swagger-ui-"));
    assert!(
        !html.contains("https://"),
        "the docs page must not load anything from the internet"
    );
    let script = app
        .client
        .get(app.url("/api-docs/init.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), StatusCode::OK);
}

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `.route("...")` in the code bypasses the documented `routes!` macro; only the
/// listed exceptions may do that.
#[tokio::test]
async fn every_route_in_the_router_is_in_the_document() {
    let app = spawn_app().await;
    let (_, doc) = app.get("/api/openapi.json", None).await;
    let mut files = Vec::new();
    rust_files(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut files,
    );
    let mut undocumented = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices(".route(") {
            let rest = &text[at + ".route(".len()..];
            let Some(start) = rest.find('"') else {
                continue;
            };
            let literal: String = rest[start + 1..]
                .chars()
                .take_while(|c| *c != '"')
                .collect();
            if !UNDOCUMENTED.contains(&literal.as_str()) && doc["paths"][&literal].is_null() {
                undocumented.push(format!("{}: {literal}", file.display()));
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "routes missing from the OpenAPI document: {undocumented:#?}"
    );
}
