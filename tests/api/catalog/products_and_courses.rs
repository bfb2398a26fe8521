//! Catalogue: products, courses, listing and search, ownership, and ETags.

use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_NONE_MATCH};
use schoolhouse::users::Role;
use serde_json::{Value, json};

use crate::support::{TestApp, TestUser, assert_problem, spawn_app, uuid_suffix};

pub struct Cast {
    pub admin: TestUser,
    pub vendor: TestUser,
    pub vendor2: TestUser,
    pub teacher: TestUser,
    pub teacher2: TestUser,
    pub student: TestUser,
}

pub async fn cast(app: &TestApp) -> Cast {
    let s = uuid_suffix();
    Cast {
        admin: app.admin().await,
        vendor: app.user(Role::Vendor, &format!("v1-{s}@example.com")).await,
        vendor2: app.user(Role::Vendor, &format!("v2-{s}@example.com")).await,
        teacher: app
            .user(Role::Instructor, &format!("t1-{s}@example.com"))
            .await,
        teacher2: app
            .user(Role::Instructor, &format!("t2-{s}@example.com"))
            .await,
        student: app.student().await,
    }
}

pub async fn course(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, course) = app.post("/api/courses", body, Some(token)).await;
    assert_eq!(status, StatusCode::CREATED, "{course}");
    course
}

async fn product(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, product) = app.post("/api/products", body, Some(token)).await;
    assert_eq!(status, StatusCode::CREATED, "{product}");
    product
}

pub fn names(list: &Value, key: &str) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i[key].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_vendor_creates_a_product_with_a_derived_slug_and_the_store_currency() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let p = product(
        &app,
        &c.vendor.token,
        json!({"name": "Café Mug!", "kind": "physical", "price_cents": 1200, "stock_quantity": 5}),
    )
    .await;
    assert_eq!(p["slug"], "cafe-mug");
    assert_eq!(p["currency"], "USD");
    assert_eq!(p["status"], "draft");
    assert_eq!(p["vendor_id"], c.vendor.id);
    let again = product(
        &app,
        &c.vendor.token,
        json!({"name": "Cafe Mug", "kind": "digital", "price_cents": 0}),
    )
    .await;
    assert_eq!(again["slug"], "cafe-mug-2");
    assert_eq!(again["stock_quantity"], Value::Null);
    let (status, problem) = app
        .post(
            "/api/products",
            json!({"name": "X", "slug": "cafe-mug", "kind": "digital", "price_cents": 1}),
            Some(&c.vendor.token),
        )
        .await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    assert_eq!(problem["errors"][0]["field"], "slug");
}

#[tokio::test]
async fn bad_product_input_is_refused_naming_fields_and_nothing_changes() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let cases = [
        (
            json!({"name": "A", "kind": "physical", "price_cents": -1, "stock_quantity": 1}),
            "price_cents",
        ),
        (
            json!({"name": "A", "kind": "physical", "price_cents": 1, "stock_quantity": -1}),
            "stock_quantity",
        ),
        (
            json!({"name": "A", "kind": "physical", "price_cents": 1}),
            "stock_quantity",
        ),
        (
            json!({"name": "A", "kind": "digital", "price_cents": 1, "tag_ids": ["nope"]}),
            "tag_ids",
        ),
        (
            json!({"name": "A", "kind": "digital", "price_cents": 1, "category_id": "nope"}),
            "category_id",
        ),
        (
            json!({"name": "A", "kind": "digital", "price_cents": 1, "image_ids": ["nope"]}),
            "image_ids",
        ),
    ];
    for (body, field) in cases {
        let (status, problem) = app.post("/api/products", body, Some(&c.vendor.token)).await;
        assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let (_, list) = app.get("/api/products", Some(&c.admin.token)).await;
    assert_eq!(list["total"], 0);
}

/// Every write route: who may, who gets 403 (wrong role) or 404 (someone else's).
#[tokio::test]
async fn role_and_ownership_matrix_for_product_and_course_writes() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let p = product(
        &app,
        &c.vendor.token,
        json!({"name": "P", "kind": "digital", "price_cents": 1}),
    )
    .await;
    let k = course(
        &app,
        &c.teacher.token,
        json!({"title": "K", "price_cents": 0}),
    )
    .await;
    let pid = format!("/api/products/{}", p["id"].as_str().unwrap());
    let kid = format!("/api/courses/{}", k["id"].as_str().unwrap());
    let new_product = json!({"name": "N", "kind": "digital", "price_cents": 1});
    let new_course = json!({"title": "N", "price_cents": 1});
    let rename = json!({"description": "changed"});
    let rows: Vec<(&str, &str, Value, &TestUser, StatusCode)> = vec![
        (
            "POST",
            "/api/products",
            new_product.clone(),
            &c.admin,
            StatusCode::CREATED,
        ),
        (
            "POST",
            "/api/products",
            new_product.clone(),
            &c.vendor2,
            StatusCode::CREATED,
        ),
        (
            "POST",
            "/api/products",
            new_product.clone(),
            &c.teacher,
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            "/api/products",
            new_product,
            &c.student,
            StatusCode::FORBIDDEN,
        ),
        ("PUT", &pid, rename.clone(), &c.vendor, StatusCode::OK),
        ("PUT", &pid, rename.clone(), &c.admin, StatusCode::OK),
        (
            "PUT",
            &pid,
            rename.clone(),
            &c.vendor2,
            StatusCode::NOT_FOUND,
        ),
        (
            "PUT",
            &pid,
            rename.clone(),
            &c.student,
            StatusCode::FORBIDDEN,
        ),
        (
            "DELETE",
            &pid,
            Value::Null,
            &c.vendor,
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            "/api/courses",
            new_course.clone(),
            &c.admin,
            StatusCode::CREATED,
        ),
        (
            "POST",
            "/api/courses",
            new_course.clone(),
            &c.teacher2,
            StatusCode::CREATED,
        ),
        (
            "POST",
            "/api/courses",
            new_course.clone(),
            &c.vendor,
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            "/api/courses",
            new_course,
            &c.student,
            StatusCode::FORBIDDEN,
        ),
        ("PUT", &kid, rename.clone(), &c.teacher, StatusCode::OK),
        ("PUT", &kid, rename.clone(), &c.admin, StatusCode::OK),
        (
            "PUT",
            &kid,
            rename.clone(),
            &c.teacher2,
            StatusCode::NOT_FOUND,
        ),
        ("PUT", &kid, rename, &c.student, StatusCode::FORBIDDEN),
        (
            "DELETE",
            &kid,
            Value::Null,
            &c.teacher,
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            "/api/categories",
            json!({"name": "C"}),
            &c.teacher,
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            "/api/categories",
            json!({"name": "C"}),
            &c.admin,
            StatusCode::CREATED,
        ),
        (
            "POST",
            "/api/tags",
            json!({"name": "T"}),
            &c.vendor,
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            "/api/tags",
            json!({"name": "T"}),
            &c.admin,
            StatusCode::CREATED,
        ),
        (
            "DELETE",
            &pid,
            Value::Null,
            &c.admin,
            StatusCode::NO_CONTENT,
        ),
        (
            "DELETE",
            &kid,
            Value::Null,
            &c.admin,
            StatusCode::NO_CONTENT,
        ),
    ];
    for (method, path, body, user, expected) in rows {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let body = (!body.is_null()).then_some(body);
        let (status, answer) = app
            .call(method.clone(), path, body, Some(&user.token))
            .await;
        assert_eq!(
            status, expected,
            "{method} {path} as {}: {answer}",
            user.email
        );
    }
    let (status, _) = app.post("/api/products", json!({}), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn listing_filters_sorts_and_searches() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let admin = Some(c.admin.token.as_str());
    let (_, cat) = app
        .post("/api/categories", json!({"name": "Programming"}), admin)
        .await;
    let (_, sub) = app
        .post(
            "/api/categories",
            json!({"name": "Rust", "parent_id": cat["id"]}),
            admin,
        )
        .await;
    let (_, tag) = app
        .post("/api/tags", json!({"name": "Systems"}), admin)
        .await;
    let t = &c.teacher.token;
    course(&app, t, json!({"title": "Rust ownership in depth", "description": "Borrowing and lifetimes",
        "price_cents": 5000, "category_id": sub["id"], "tag_ids": [tag["id"]], "status": "published"})).await;
    course(
        &app,
        t,
        json!({"title": "Baking bread", "description": "Sourdough for rust-belt bakers",
        "price_cents": 0, "status": "published"}),
    )
    .await;
    course(
        &app,
        t,
        json!({"title": "Algebra", "price_cents": 2000, "status": "published"}),
    )
    .await;
    course(
        &app,
        &c.teacher2.token,
        json!({"title": "Secret draft", "price_cents": 100}),
    )
    .await;

    let (_, all) = app.get("/api/courses?sort=price", None).await;
    assert_eq!(
        names(&all, "title"),
        ["Baking bread", "Algebra", "Rust ownership in depth"]
    );
    let (_, desc) = app.get("/api/courses?sort=-price", None).await;
    assert_eq!(names(&desc, "title")[0], "Rust ownership in depth");
    let (_, by_title) = app
        .get("/api/courses?sort=title&per_page=2&page=2", None)
        .await;
    assert_eq!(names(&by_title, "title"), ["Rust ownership in depth"]);
    assert_eq!(by_title["total"], 3);
    let (_, free) = app.get("/api/courses?free=true", None).await;
    assert_eq!(names(&free, "title"), ["Baking bread"]);
    let (_, range) = app
        .get("/api/courses?min_price=1000&max_price=3000", None)
        .await;
    assert_eq!(names(&range, "title"), ["Algebra"]);
    let (_, by_parent) = app.get("/api/courses?category=programming", None).await;
    assert_eq!(names(&by_parent, "title"), ["Rust ownership in depth"]);
    let (_, by_tag) = app
        .get(
            &format!("/api/courses?tag={}", tag["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(names(&by_tag, "title"), ["Rust ownership in depth"]);
    assert_eq!(by_tag["items"][0]["tags"][0]["slug"], "systems");
    let (_, by_teacher) = app
        .get(
            &format!("/api/courses?instructor_id={}", c.teacher2.id),
            None,
        )
        .await;
    assert_eq!(by_teacher["total"], 0);
    let (_, search) = app.get("/api/courses?q=rust", None).await;
    assert_eq!(
        names(&search, "title"),
        ["Rust ownership in depth", "Baking bread"]
    );
    let (status, odd) = app.get("/api/courses?q=%22%29%28*%20OR", None).await;
    assert_eq!(status, StatusCode::OK, "{odd}");
    let (status, none) = app.get("/api/courses?q=!!!", None).await;
    assert_eq!((status, none["total"].clone()), (StatusCode::OK, json!(0)));
    // Drafts: owners see their own, admins all, the public none.
    let (_, own) = app
        .get("/api/courses?status=draft", Some(&c.teacher2.token))
        .await;
    assert_eq!(names(&own, "title"), ["Secret draft"]);
    let (_, others) = app
        .get("/api/courses?status=draft", Some(&c.teacher.token))
        .await;
    assert_eq!(others["total"], 0);
    let (_, everything) = app.get("/api/courses", admin).await;
    assert_eq!(everything["total"], 4);
    let (status, problem) = app
        .get("/api/courses?sort=shuffle&per_page=101", None)
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);

    product(
        &app,
        &c.vendor.token,
        json!({"name": "Ebook", "kind": "digital", "price_cents": 900, "status": "published"}),
    )
    .await;
    product(&app, &c.vendor.token, json!({"name": "Mug", "kind": "physical", "price_cents": 1500, "stock_quantity": 3, "status": "published"})).await;
    let (_, physical) = app.get("/api/products?kind=physical", None).await;
    assert_eq!(names(&physical, "name"), ["Mug"]);
    let (_, by_vendor) = app
        .get(
            &format!("/api/products?vendor_id={}&sort=name", c.vendor.id),
            None,
        )
        .await;
    assert_eq!(names(&by_vendor, "name"), ["Ebook", "Mug"]);
    let (_, popular) = app.get("/api/products?sort=popularity&q=mug", None).await;
    assert_eq!(names(&popular, "name"), ["Mug"]);
}

#[tokio::test]
async fn course_views_show_instructor_and_computed_figures() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let k = course(
        &app,
        &c.teacher.token,
        json!({"title": "Figures", "price_cents": 0, "status": "published"}),
    )
    .await;
    assert_eq!(k["rating_average"], Value::Null);
    assert_eq!(k["instructor"]["id"], c.teacher.id);
    assert_eq!(k["lesson_count"], 0);
    let id = k["id"].as_str().unwrap().to_string();
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "UPDATE courses SET rating_sum = 13, rating_count = 3 WHERE id = ?1",
                [&id],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let (_, k) = app
        .get(
            &format!("/api/courses/{}", k["slug"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(k["rating_average"], 4.3);
    assert_eq!(k["rating_count"], 3);
}

#[tokio::test]
async fn deleting_a_course_someone_enrolled_in_archives_it() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let k = course(
        &app,
        &c.teacher.token,
        json!({"title": "Kept", "price_cents": 0, "status": "published"}),
    )
    .await;
    crate::catalog::enrol(&app, &c.student.id, k["id"].as_str().unwrap()).await;
    let path = format!("/api/courses/{}", k["id"].as_str().unwrap());
    let (status, archived) = app.delete(&path, Some(&c.admin.token)).await;
    assert_eq!(status, StatusCode::OK, "{archived}");
    assert_eq!(archived["status"], "archived");
    let (status, _) = app.get(&path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, still) = app.get(&path, Some(&c.admin.token)).await;
    assert_eq!(
        (status, still["status"].clone()),
        (StatusCode::OK, json!("archived"))
    );
}

#[tokio::test]
async fn public_gets_send_an_etag_and_answer_304() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    course(
        &app,
        &c.teacher.token,
        json!({"title": "Cached", "price_cents": 0, "status": "published"}),
    )
    .await;
    for path in [
        "/api/courses",
        "/api/products",
        "/api/categories",
        "/api/tags",
    ] {
        let first = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(first.status(), StatusCode::OK);
        let etag = first.headers()[ETAG].to_str().unwrap().to_string();
        assert!(etag.starts_with("W/\""), "{etag}");
        let again = app
            .client
            .get(app.url(path))
            .header(IF_NONE_MATCH, &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
    }
    let stale = app
        .client
        .get(app.url("/api/courses"))
        .header(IF_NONE_MATCH, "W/\"old\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::OK);
}

#[tokio::test]
async fn categories_with_children_cannot_be_deleted() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let t = Some(admin.token.as_str());
    let (_, parent) = app
        .post("/api/categories", json!({"name": "Parent"}), t)
        .await;
    let (status, child) = app
        .post(
            "/api/categories",
            json!({"name": "Child", "parent_id": parent["id"]}),
            t,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{child}");
    let ppath = format!("/api/categories/{}", parent["id"].as_str().unwrap());
    let (status, problem) = app.delete(&ppath, t).await;
    assert_problem(status, &problem, StatusCode::CONFLICT);
    let (status, problem) = app.put(&ppath, json!({"parent_id": child["id"]}), t).await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .delete(
            &format!("/api/categories/{}", child["id"].as_str().unwrap()),
            t,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.delete(&ppath, t).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}
