//! Bundles with products tried as an attacker would (issue 28): each row names the abuse,
//! checks the answer, and checks that nothing changed (no bundle written or altered, no order,
//! no unit of stock taken, no download handed out).

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::commerce::{digital_with_file, product, product_with_status};
use crate::payments::{address, ask_refund, course, pay_at_the_office};
use crate::support::{TestApp, TestUser, spawn_app};
use schoolhouse::users::Role;

/// A school with a published course, a vendor's goods and the people who try things.
struct Shop {
    app: TestApp,
    admin: TestUser,
    vendor: TestUser,
    instructor: TestUser,
    course: String,
    own_course: String,
}

async fn shop() -> Shop {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let vendor = app.user(Role::Vendor, "vendor@example.com").await;
    let instructor = app.user(Role::Instructor, "teacher@example.com").await;
    let course = course(&app, &admin, 3000).await;
    let own_course = course_of(&app, &instructor).await;
    Shop {
        app,
        admin,
        vendor,
        instructor,
        course,
        own_course,
    }
}

async fn course_of(app: &TestApp, owner: &TestUser) -> String {
    course(app, owner, 2000).await
}

/// Bundles, their products, and the first bundle's product list, as one comparable value.
async fn bundles_state(app: &TestApp) -> (i64, i64, String) {
    app.state
        .db
        .read(|conn| {
            Ok((
                conn.query_row("SELECT count(*) FROM bundles", [], |r| r.get(0))?,
                conn.query_row("SELECT count(*) FROM bundle_products", [], |r| r.get(0))?,
                conn.query_row(
                    "SELECT coalesce(group_concat(product_id), '') FROM bundle_products",
                    [],
                    |r| r.get(0),
                )?,
            ))
        })
        .await
        .unwrap()
}

/// Orders, order lines and the stock of `product_id`.
async fn shop_state(app: &TestApp, product_id: &str) -> (i64, i64, Option<i64>) {
    let id = product_id.to_string();
    app.state
        .db
        .read(move |conn| {
            Ok((
                conn.query_row("SELECT count(*) FROM orders", [], |r| r.get(0))?,
                conn.query_row("SELECT count(*) FROM order_items", [], |r| r.get(0))?,
                conn.query_row(
                    "SELECT stock_quantity FROM products WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )?,
            ))
        })
        .await
        .unwrap()
}

async fn set_currency(app: &TestApp, product_id: &str, currency: &'static str) {
    let id = product_id.to_string();
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "UPDATE products SET currency = ?2 WHERE id = ?1",
                [id.as_str(), currency],
            )?;
            Ok(())
        })
        .await
        .unwrap();
}

async fn set_stock(app: &TestApp, product_id: &str, stock: i64) {
    let id = product_id.to_string();
    app.state
        .db
        .write(move |conn| {
            conn.execute(
                "UPDATE products SET stock_quantity = ?2 WHERE id = ?1",
                rusqlite::params![id, stock],
            )?;
            Ok(())
        })
        .await
        .unwrap();
}

/// `owner` makes a published bundle of `courses` and `products`, asserting 201.
async fn bundle_with(
    app: &TestApp,
    owner: &TestUser,
    courses: &[&str],
    products: &[&str],
) -> String {
    let (status, body) = app
        .post(
            "/api/bundles",
            json!({"name": "Kit", "price_cents": 5000, "status": "published",
                   "course_ids": courses, "product_ids": products}),
            Some(&owner.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_string()
}

/// A buyer's "buy now" order of one bundle, shipped by the standard method.
fn buy_now(bundle_id: &str) -> Value {
    json!({"items": [{"item_type": "bundle", "item_id": bundle_id}],
           "shipping_address": address(), "shipping_method": "standard"})
}

#[tokio::test]
async fn a_bundle_may_include_only_sellable_products_its_owner_owns() {
    let s = shop().await;
    let vendors = product(&s.app, &s.vendor.id, "Mug", 1500, "physical", Some(5)).await;
    let draft = product_with_status(
        &s.app,
        &s.vendor.id,
        "Draft mug",
        1500,
        "physical",
        Some(5),
        "draft",
    )
    .await;
    let euro = product(&s.app, &s.vendor.id, "Euro mug", 1500, "physical", Some(5)).await;
    set_currency(&s.app, &euro, "EUR").await;
    let teachers = product(&s.app, &s.instructor.id, "Notes", 900, "digital", None).await;
    let teachers_bundle = bundle_with(&s.app, &s.instructor, &[&s.own_course], &[&teachers]).await;

    struct Row {
        sentence: &'static str,
        instructor: bool,
        path: String,
        put: bool,
        body: Value,
        status: StatusCode,
    }
    let create = |products: Vec<&str>, course: &str| {
        json!({"name": "Kit", "price_cents": 100, "status": "published",
               "course_ids": [course], "product_ids": products})
    };
    let rows = [
        Row {
            sentence: "an instructor may not put someone else's product in a bundle",
            instructor: true,
            path: "/api/bundles".into(),
            put: false,
            body: create(vec![&vendors], &s.own_course),
            status: StatusCode::FORBIDDEN,
        },
        Row {
            sentence: "an update may not slip someone else's product into an instructor's bundle",
            instructor: true,
            path: format!("/api/bundles/{teachers_bundle}"),
            put: true,
            body: json!({"product_ids": [teachers, vendors]}),
            status: StatusCode::FORBIDDEN,
        },
        Row {
            sentence: "an unpublished product cannot be sold inside a bundle",
            instructor: false,
            path: "/api/bundles".into(),
            put: false,
            body: create(vec![&draft], &s.course),
            status: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Row {
            sentence: "a product priced in another currency cannot be bundled",
            instructor: false,
            path: "/api/bundles".into(),
            put: false,
            body: create(vec![&euro], &s.course),
            status: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Row {
            sentence: "a product named twice is not two products",
            instructor: false,
            path: "/api/bundles".into(),
            put: false,
            body: create(vec![&vendors, &vendors], &s.course),
            status: StatusCode::UNPROCESSABLE_ENTITY,
        },
        Row {
            sentence: "an unknown product id sells nothing",
            instructor: false,
            path: "/api/bundles".into(),
            put: false,
            body: create(vec!["no-such-product"], &s.course),
            status: StatusCode::UNPROCESSABLE_ENTITY,
        },
    ];
    for row in rows {
        let before = bundles_state(&s.app).await;
        let token = if row.instructor {
            &s.instructor.token
        } else {
            &s.admin.token
        };
        let (status, body) = if row.put {
            s.app.put(&row.path, row.body, Some(token)).await
        } else {
            s.app.post(&row.path, row.body, Some(token)).await
        };
        assert_eq!(status, row.status, "{}: {body}", row.sentence);
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            assert_eq!(
                body["errors"][0]["field"], "product_ids",
                "{}",
                row.sentence
            );
        }
        assert_eq!(
            bundles_state(&s.app).await,
            before,
            "{}: nothing written",
            row.sentence
        );
    }
}

#[tokio::test]
async fn a_bundle_whose_product_is_out_of_stock_is_refused_and_reserves_nothing() {
    let s = shop().await;
    let mug = product(&s.app, &s.vendor.id, "Mug", 1500, "physical", Some(1)).await;
    let ebook = digital_with_file(&s.app, &s.vendor.id, "Ebook", 900).await;
    let bundle = bundle_with(&s.app, &s.admin, &[&s.course], &[&ebook, &mug]).await;
    let buyer = s.app.student().await;
    let (status, line) = s
        .app
        .post(
            "/api/cart",
            json!({"item_type": "bundle", "item_id": bundle}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{line}");
    set_stock(&s.app, &mug, 0).await;

    let before = shop_state(&s.app, &mug).await;
    let (status, problem) = s
        .app
        .post(
            "/api/orders",
            json!({"shipping_address": address(), "shipping_method": "standard"}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "out of stock: {problem}");
    let (status, problem) = s
        .app
        .post("/api/orders", buy_now(&bundle), Some(&buyer.token))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "buy now: {problem}");
    let (status, problem) = s
        .app
        .post(
            "/api/cart",
            json!({"item_type": "bundle", "item_id": bundle}),
            Some(&s.app.student().await.token),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "cart: {problem}");
    assert_eq!(shop_state(&s.app, &mug).await, before, "nothing reserved");

    // One unit back in stock but checkout races it away after the cart was read: the whole
    // order goes, the ebook line and the bundle line with it.
    set_stock(&s.app, &mug, 1).await;
    let other = s.app.student().await;
    let (status, _) = s
        .app
        .post("/api/orders", buy_now(&bundle), Some(&other.token))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let before = shop_state(&s.app, &mug).await;
    assert_eq!(before.2, Some(0));
    let (status, problem) = s
        .app
        .post("/api/orders", buy_now(&bundle), Some(&buyer.token))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(shop_state(&s.app, &mug).await, before, "nothing written");
}

#[tokio::test]
async fn twenty_parallel_checkouts_of_a_bundle_whose_product_has_five_in_stock_sell_exactly_five() {
    let s = shop().await;
    let mug = product(&s.app, &s.vendor.id, "Mug", 1500, "physical", Some(5)).await;
    let bundle = bundle_with(&s.app, &s.admin, &[&s.course], &[&mug]).await;
    let mut buyers = Vec::new();
    for _ in 0..20 {
        buyers.push(s.app.student().await);
    }
    let answers = join_all(
        buyers
            .iter()
            .map(|b| s.app.post("/api/orders", buy_now(&bundle), Some(&b.token))),
    )
    .await;
    let sold = answers
        .iter()
        .filter(|(st, _)| *st == StatusCode::CREATED)
        .count();
    let refused = answers
        .iter()
        .filter(|(st, _)| *st == StatusCode::CONFLICT)
        .count();
    assert_eq!((sold, refused), (5, 15), "{answers:?}");
    let (orders, lines, stock) = shop_state(&s.app, &mug).await;
    assert_eq!(orders, 5, "one order per unit");
    assert_eq!(lines, 10, "each order: the bundle and its mug");
    assert_eq!(stock, Some(0), "never below zero");
}

#[tokio::test]
async fn the_bundled_download_is_refused_once_the_bundle_is_refunded() {
    let s = shop().await;
    let ebook = digital_with_file(&s.app, &s.vendor.id, "Ebook", 900).await;
    let bundle = bundle_with(&s.app, &s.admin, &[&s.course], &[&ebook]).await;
    let buyer = s.app.student().await;
    let (status, order) = s
        .app
        .post(
            "/api/orders",
            json!({"items": [{"item_type": "bundle", "item_id": bundle}]}),
            Some(&buyer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let order_id = order["id"].as_str().unwrap().to_string();
    pay_at_the_office(&s.app, &s.admin, &buyer, &order_id).await;
    let line = order["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item_id"] == ebook.as_str())
        .cloned()
        .unwrap();
    let download = format!(
        "/api/orders/{order_id}/items/{}/download",
        line["id"].as_str().unwrap()
    );
    let (status, link) = s.app.get(&download, Some(&buyer.token)).await;
    assert_eq!(status, StatusCode::OK, "paid: {link}");

    let (status, refund) = ask_refund(&s.app, &buyer, &order_id, "not for me").await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "a bundled download does not bar the bundle's refund: {refund}"
    );
    let (status, problem) = s.app.get(&download, Some(&buyer.token)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    let downloads: i64 = s
        .app
        .state
        .db
        .read(|conn| Ok(conn.query_row("SELECT count(*) FROM downloads", [], |r| r.get(0))?))
        .await
        .unwrap();
    assert_eq!(downloads, 1, "no second download recorded");
}
