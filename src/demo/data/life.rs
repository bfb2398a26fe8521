//! The demo school's life as data: the orders placed and how each ended, and the learners'
//! steps (enrolments, completed lessons, quizzes, assignments, grades, reviews).

use serde_json::{Value, json};

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
