//! The demo school as data: people, taxonomy, files, products and coupons; the orders and
//! what the learners did are in `life`. Courses live in `courses.rs`. Bodies are the JSON
//! the HTTP API accepts.

mod life;

pub use life::*;

use serde_json::{Value, json};

use crate::users::Role;

/// A demo account. `key` names it elsewhere in this file.
pub struct Person {
    pub key: &'static str,
    pub name: &'static str,
    pub email: &'static str,
    pub role: Role,
    pub password: &'static str,
}

/// The student a newcomer should log in as first: bought things, finished a course.
pub const DEMO_STUDENT: &str = "sam";

const ADMIN_PASSWORD: &str = "demo-admin-password";
const INSTRUCTOR_PASSWORD: &str = "demo-instructor-password";
const VENDOR_PASSWORD: &str = "demo-vendor-password";
const STUDENT_PASSWORD: &str = "demo-student-password";

pub const PEOPLE: &[Person] = &[
    Person {
        key: "ada",
        name: "Ada Admin",
        email: "admin@demo.example.com",
        role: Role::Admin,
        password: ADMIN_PASSWORD,
    },
    Person {
        key: "tomas",
        name: "Tomás Green",
        email: "tomas@demo.example.com",
        role: Role::Instructor,
        password: INSTRUCTOR_PASSWORD,
    },
    Person {
        key: "rosa",
        name: "Rosa Baker",
        email: "rosa@demo.example.com",
        role: Role::Instructor,
        password: INSTRUCTOR_PASSWORD,
    },
    Person {
        key: "vera",
        name: "Vera Village Tools",
        email: "vera@demo.example.com",
        role: Role::Vendor,
        password: VENDOR_PASSWORD,
    },
    Person {
        key: "sam",
        name: "Sam Student",
        email: "sam@demo.example.com",
        role: Role::Student,
        password: STUDENT_PASSWORD,
    },
    Person {
        key: "lee",
        name: "Lee Learner",
        email: "lee@demo.example.com",
        role: Role::Student,
        password: STUDENT_PASSWORD,
    },
    Person {
        key: "kim",
        name: "Kim Park",
        email: "kim@demo.example.com",
        role: Role::Student,
        password: STUDENT_PASSWORD,
    },
    Person {
        key: "max",
        name: "Max Moreau",
        email: "max@demo.example.com",
        role: Role::Student,
        password: STUDENT_PASSWORD,
    },
];

/// A file shipped in the binary, uploaded through the media service by `owner`.
pub struct Asset {
    pub key: &'static str,
    pub file_name: &'static str,
    pub owner: &'static str,
    pub bytes: &'static [u8],
}

pub const ASSETS: &[Asset] = &[
    Asset {
        key: "cover-garden",
        file_name: "cover-garden.png",
        owner: "tomas",
        bytes: include_bytes!("../../assets/demo/cover-garden.png"),
    },
    Asset {
        key: "cover-herbs",
        file_name: "cover-herbs.png",
        owner: "tomas",
        bytes: include_bytes!("../../assets/demo/cover-code.png"),
    },
    Asset {
        key: "clip",
        file_name: "garden-in-two-seconds.webm",
        owner: "tomas",
        bytes: include_bytes!("../../assets/demo/sample.webm"),
    },
    Asset {
        key: "cover-bread",
        file_name: "cover-bread.png",
        owner: "rosa",
        bytes: include_bytes!("../../assets/demo/cover-bread.png"),
    },
    Asset {
        key: "trowel",
        file_name: "trowel.png",
        owner: "vera",
        bytes: include_bytes!("../../assets/demo/product-trowel.png"),
    },
    Asset {
        key: "apron",
        file_name: "apron.png",
        owner: "vera",
        bytes: include_bytes!("../../assets/demo/product-apron.png"),
    },
    Asset {
        key: "seeds",
        file_name: "seeds.png",
        owner: "vera",
        bytes: include_bytes!("../../assets/demo/product-seeds.png"),
    },
    Asset {
        key: "guide",
        file_name: "garden-field-guide.pdf",
        owner: "vera",
        bytes: include_bytes!("../../assets/demo/field-guide.pdf"),
    },
];

/// (key, name, parent key)
pub const CATEGORIES: &[(&str, &str, Option<&str>)] = &[
    ("gardening", "Gardening", None),
    ("baking", "Baking", None),
    ("supplies", "Garden supplies", None),
    ("tools", "Hand tools", Some("supplies")),
    ("books", "Guides and books", Some("supplies")),
];

pub const TAGS: &[&str] = &[
    "beginner friendly",
    "weekend project",
    "organic",
    "sourdough",
    "gift idea",
];

/// A product, created by its vendor.
pub struct ProductSpec {
    pub key: &'static str,
    pub vendor: &'static str,
    pub category: &'static str,
    pub tags: &'static [&'static str],
    pub images: &'static [&'static str],
    pub download: Option<&'static str>,
    pub body: Value,
}

pub fn products() -> Vec<ProductSpec> {
    vec![
        ProductSpec {
            key: "trowel",
            vendor: "vera",
            category: "tools",
            tags: &["gift idea"],
            images: &["trowel"],
            download: None,
            body: json!({
                "name": "Stainless Hand Trowel",
                "description": "A sturdy **stainless steel** trowel with an ash handle. \
                    Digs, scoops and lasts for decades.",
                "kind": "physical", "price_cents": 1850, "stock_quantity": 25,
                "sku": "VT-TROWEL", "status": "published",
            }),
        },
        ProductSpec {
            key: "apron",
            vendor: "vera",
            category: "supplies",
            tags: &["gift idea"],
            images: &["apron"],
            download: None,
            body: json!({
                "name": "Canvas Garden Apron",
                "description": "Waxed canvas, five pockets, adjustable straps. Only a few left.",
                "kind": "physical", "price_cents": 3200, "stock_quantity": 4,
                "sku": "VT-APRON", "status": "published",
            }),
        },
        ProductSpec {
            key: "seeds",
            vendor: "vera",
            category: "supplies",
            tags: &["organic", "beginner friendly"],
            images: &["seeds"],
            download: None,
            body: json!({
                "name": "Heirloom Seed Collection",
                "description": "Twelve packets of open-pollinated vegetables and herbs.",
                "kind": "physical", "price_cents": 999, "stock_quantity": 40,
                "sku": "VT-SEEDS", "status": "published",
            }),
        },
        ProductSpec {
            key: "can",
            vendor: "vera",
            category: "tools",
            tags: &[],
            images: &[],
            download: None,
            body: json!({
                "name": "Copper Watering Can",
                "description": "Hand-made, limited run. Sold out until spring.",
                "kind": "physical", "price_cents": 6400, "stock_quantity": 0,
                "sku": "VT-CAN", "status": "published",
            }),
        },
        ProductSpec {
            key: "guide",
            vendor: "vera",
            category: "books",
            tags: &["beginner friendly"],
            images: &[],
            download: Some("guide"),
            body: json!({
                "name": "Garden Field Guide (PDF)",
                "description": "A printable one-page guide: soil, water, mulch.",
                "kind": "digital", "price_cents": 700, "status": "published",
            }),
        },
    ]
}

/// Coupon bodies for `POST /api/admin/coupons`; `expires_at` is 90 days after `now`.
pub fn coupons(expires_at: &str) -> Vec<Value> {
    vec![
        json!({ "code": "WELCOME10", "percent": 10 }),
        json!({ "code": "GARDEN5", "fixed_cents": 500, "min_subtotal_cents": 2000,
                "scope": "products" }),
        json!({ "code": "SPRING25", "percent": 25, "scope": "courses",
                "expires_at": expires_at, "max_redemptions": 100,
                "max_redemptions_per_user": 1 }),
    ]
}
