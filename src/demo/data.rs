//! The demo school as data: people, taxonomy, files, products, coupons, orders and what the
//! learners did. Courses live in `courses.rs`. Bodies are the JSON the HTTP API accepts.

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

/// Something in a cart.
#[derive(Debug, Clone, Copy)]
pub enum Item {
    Product(&'static str, i64),
    Course(&'static str),
}

/// How far an order gets after checkout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Placed, not paid: holds its stock until the reservation runs out.
    Pending,
    /// Paid (orders with nothing to ship are fulfilled at once).
    Paid,
    Shipped,
    Delivered,
    /// Cancelled by the buyer before paying.
    Cancelled,
}

pub struct OrderSpec {
    pub buyer: &'static str,
    pub items: &'static [Item],
    pub coupon: Option<&'static str>,
    pub outcome: Outcome,
}

pub const ORDERS: &[OrderSpec] = &[
    OrderSpec {
        buyer: "sam",
        items: &[Item::Product("trowel", 1), Item::Product("guide", 1)],
        coupon: Some("WELCOME10"),
        outcome: Outcome::Delivered,
    },
    OrderSpec {
        buyer: "sam",
        items: &[Item::Course("sourdough")],
        coupon: None,
        outcome: Outcome::Paid,
    },
    OrderSpec {
        buyer: "lee",
        items: &[Item::Course("sourdough")],
        coupon: Some("SPRING25"),
        outcome: Outcome::Paid,
    },
    OrderSpec {
        buyer: "lee",
        items: &[Item::Product("apron", 2)],
        coupon: None,
        outcome: Outcome::Paid,
    },
    OrderSpec {
        buyer: "kim",
        items: &[Item::Product("seeds", 3), Item::Product("trowel", 1)],
        coupon: Some("GARDEN5"),
        outcome: Outcome::Shipped,
    },
    OrderSpec {
        buyer: "kim",
        items: &[Item::Product("guide", 1)],
        coupon: None,
        outcome: Outcome::Paid,
    },
    OrderSpec {
        buyer: "max",
        items: &[Item::Product("seeds", 2)],
        coupon: None,
        outcome: Outcome::Pending,
    },
    OrderSpec {
        buyer: "max",
        items: &[Item::Product("trowel", 1)],
        coupon: None,
        outcome: Outcome::Cancelled,
    },
];

/// A shipping address for `name`.
pub fn address(name: &str) -> Value {
    json!({
        "name": name, "line1": "12 Orchard Lane", "city": "Springfield",
        "postal_code": "12345", "country": "US",
    })
}

/// What learners did, in order. Lessons are named `course/lesson` (see `courses.rs`).
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// Self-enrolment in a free course.
    Enrol(&'static str, &'static str),
    /// A reading or video lesson marked done, with minutes spent.
    Complete(&'static str, &'static str, i64),
    /// A quiz attempt, all correct or all wrong.
    Quiz(&'static str, &'static str, bool),
    /// An assignment hand-in.
    Submit(&'static str, &'static str, &'static str),
    /// The course's instructor grades the learner's open submission.
    Grade(&'static str, &'static str, i64, &'static str),
    Review(&'static str, &'static str, i64, &'static str),
}

pub const LEARNING: &[Step] = &[
    Step::Enrol("sam", "garden"),
    Step::Complete("sam", "garden/spot", 12),
    Step::Complete("sam", "garden/clip", 1),
    Step::Quiz("sam", "garden/soil-quiz", false),
    Step::Quiz("sam", "garden/soil-quiz", true),
    Step::Complete("sam", "garden/sowing", 15),
    Step::Submit(
        "sam",
        "garden/plan",
        "Two raised beds by the fence: tomatoes and basil in one, beans in the other.",
    ),
    Step::Grade(
        "sam",
        "garden/plan",
        92,
        "A clear plan. Mind the beans' shade on the basil!",
    ),
    Step::Review(
        "sam",
        "garden",
        5,
        "Short, practical and friendly. My beans are up!",
    ),
    Step::Enrol("lee", "garden"),
    Step::Complete("lee", "garden/spot", 8),
    Step::Quiz("lee", "garden/soil-quiz", false),
    Step::Review("lee", "garden", 4, "Great start; I'd love a longer video."),
    Step::Enrol("kim", "garden"),
    Step::Enrol("kim", "herbs"),
    Step::Complete("kim", "herbs/light", 6),
    Step::Complete("sam", "sourdough/starter", 20),
    Step::Quiz("sam", "sourdough/starter-quiz", true),
    Step::Complete("lee", "sourdough/starter", 25),
    Step::Quiz("lee", "sourdough/starter-quiz", true),
    Step::Complete("lee", "sourdough/shaping", 18),
    Step::Submit(
        "lee",
        "sourdough/first-loaf",
        "My first loaf: open crumb, a bit pale. Photo at https://example.com/loaf.jpg",
    ),
    Step::Review(
        "lee",
        "sourdough",
        5,
        "Rosa explains the starter better than any book.",
    ),
];
