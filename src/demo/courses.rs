//! The demo courses: sections with reading, video, quiz and assignment lessons, as the JSON
//! bodies the course and lesson endpoints accept.

use serde_json::{Value, json};

/// A course, created by its instructor; `body` is a `POST /api/courses` body.
pub struct CourseSpec {
    pub key: &'static str,
    pub instructor: &'static str,
    pub category: &'static str,
    pub tags: &'static [&'static str],
    pub cover: Option<&'static str>,
    pub body: Value,
    pub sections: Vec<SectionSpec>,
}

pub struct SectionSpec {
    pub title: &'static str,
    pub lessons: Vec<LessonSpec>,
}

/// A lesson body without `section_id`; `media` names an uploaded asset for a video.
pub struct LessonSpec {
    pub key: &'static str,
    pub media: Option<&'static str>,
    pub body: Value,
}

fn lesson(key: &'static str, body: Value) -> LessonSpec {
    LessonSpec {
        key,
        media: None,
        body,
    }
}

fn reading(key: &'static str, title: &str, minutes: i64, markdown: &str) -> LessonSpec {
    lesson(
        key,
        json!({ "content_type": "reading", "title": title, "duration_seconds": minutes * 60,
                "body_markdown": markdown }),
    )
}

pub fn courses() -> Vec<CourseSpec> {
    vec![garden(), sourdough(), herbs(), croissants()]
}

fn garden() -> CourseSpec {
    CourseSpec {
        key: "garden",
        instructor: "tomas",
        category: "gardening",
        tags: &["beginner friendly", "organic"],
        cover: Some("cover-garden"),
        body: json!({
            "title": "Vegetable Gardening Basics",
            "description": "From bare ground to your first harvest in four short lessons.\n\n\
                You will choose a spot, read your soil, sow seeds and plan a bed of your own.",
            "price_cents": 0, "level": "beginner", "status": "published",
        }),
        sections: vec![
            SectionSpec {
                title: "Getting started",
                lessons: vec![
                    {
                        let mut l = reading(
                            "spot",
                            "Choosing a spot",
                            10,
                            "# Choosing a spot\n\nVegetables want **six hours of sun**, \
                             shelter from wind and water within reach.\n\n\
                             - Watch the light for a day\n- Avoid low, soggy corners\n\
                             - Start small: one bed is plenty",
                        );
                        l.body["is_preview"] = json!(true);
                        l
                    },
                    LessonSpec {
                        key: "clip",
                        media: Some("clip"),
                        body: json!({ "content_type": "video", "title": "A garden in two seconds",
                                      "duration_seconds": 2 }),
                    },
                    lesson(
                        "soil-quiz",
                        json!({
                            "content_type": "quiz", "title": "Soil check", "pass_percent": 70,
                            "max_attempts": 3,
                            "questions": [
                                { "kind": "single_choice",
                                  "prompt": "How many hours of sun do most vegetables need?",
                                  "options": ["Two", "Four", "Six", "Twelve"], "answer": 2 },
                                { "kind": "true_false",
                                  "prompt": "Mulch helps the soil keep its moisture.",
                                  "answer": true },
                                { "kind": "multiple_choice",
                                  "prompt": "Which of these improve heavy clay soil?",
                                  "options": ["Compost", "Leaf mould", "Concrete", "Grit"],
                                  "answer": [0, 1, 3], "points": 2 },
                                { "kind": "short_text",
                                  "prompt": "What do gardeners call decomposed kitchen and garden waste?",
                                  "answer": ["compost"] },
                            ],
                        }),
                    ),
                ],
            },
            SectionSpec {
                title: "Planting",
                lessons: vec![
                    reading(
                        "sowing",
                        "Sowing seeds",
                        15,
                        "# Sowing seeds\n\nSow at **twice the seed's depth**, firm the soil and \
                         water gently. Label every row.",
                    ),
                    lesson(
                        "plan",
                        json!({
                            "content_type": "assignment", "title": "Plan your first bed",
                            "instructions": "Sketch one bed: what grows where, and why. \
                                Send a short description or a link to a photo.",
                            "max_score": 100, "pass_score": 60,
                        }),
                    ),
                ],
            },
        ],
    }
}

fn sourdough() -> CourseSpec {
    CourseSpec {
        key: "sourdough",
        instructor: "rosa",
        category: "baking",
        tags: &["sourdough", "weekend project"],
        cover: Some("cover-bread"),
        body: json!({
            "title": "Sourdough at Home",
            "description": "Raise a starter, shape a loaf and bake it in a home oven.",
            "price_cents": 2900, "level": "intermediate", "status": "published",
        }),
        sections: vec![
            SectionSpec {
                title: "The starter",
                lessons: vec![
                    reading(
                        "starter",
                        "Feeding a starter",
                        20,
                        "# Feeding a starter\n\nEqual weights of flour and water, once a day, \
                         at room temperature. It is ready when it **doubles in 6 hours**.",
                    ),
                    lesson(
                        "starter-quiz",
                        json!({
                            "content_type": "quiz", "title": "Is it ready?",
                            "questions": [
                                { "kind": "true_false",
                                  "prompt": "A ready starter doubles within a few hours of feeding.",
                                  "answer": true },
                                { "kind": "single_choice",
                                  "prompt": "The usual feeding ratio of flour to water by weight is",
                                  "options": ["1 : 1", "1 : 3", "3 : 1"], "answer": 0 },
                            ],
                        }),
                    ),
                ],
            },
            SectionSpec {
                title: "The bake",
                lessons: vec![
                    reading(
                        "shaping",
                        "Shaping and proofing",
                        18,
                        "# Shaping\n\nPre-shape, rest 20 minutes, then build **surface tension** \
                         with a bench scraper. Proof overnight in the fridge.",
                    ),
                    lesson(
                        "first-loaf",
                        json!({
                            "content_type": "assignment", "title": "Your first loaf",
                            "instructions": "Bake a loaf and describe the crust and the crumb.",
                        }),
                    ),
                    {
                        let mut l = reading(
                            "second-week",
                            "Week two: rye and spelt",
                            15,
                            "# Rye and spelt\n\nOnce your white loaf is reliable, swap in \
                             **20 % rye** for flavour.",
                        );
                        l.body["available_after_days"] = json!(7);
                        l
                    },
                ],
            },
        ],
    }
}

fn herbs() -> CourseSpec {
    CourseSpec {
        key: "herbs",
        instructor: "tomas",
        category: "gardening",
        tags: &["beginner friendly"],
        cover: Some("cover-herbs"),
        body: json!({
            "title": "Kitchen Herbs on a Windowsill",
            "description": "Basil, parsley and chives all year round, no garden needed.",
            "price_cents": 0, "level": "all", "status": "published",
        }),
        sections: vec![SectionSpec {
            title: "Windowsill herbs",
            lessons: vec![
                reading(
                    "light",
                    "Light and pots",
                    6,
                    "# Light and pots\n\nA south-facing sill, pots with drainage holes and a \
                     saucer. Turn the pots weekly.",
                ),
                reading(
                    "harvest",
                    "Harvesting without harm",
                    5,
                    "# Harvesting\n\nPinch above a pair of leaves; never take more than a \
                     third of the plant.",
                ),
            ],
        }],
    }
}

/// A draft: instructors and admins see it, the public catalogue does not.
fn croissants() -> CourseSpec {
    CourseSpec {
        key: "croissants",
        instructor: "rosa",
        category: "baking",
        tags: &[],
        cover: None,
        body: json!({
            "title": "Croissants (coming soon)",
            "description": "Laminated dough, step by step. Still being written.",
            "price_cents": 3900, "level": "advanced", "status": "draft",
        }),
        sections: vec![SectionSpec {
            title: "Lamination",
            lessons: vec![reading(
                "butter-block",
                "The butter block",
                10,
                "# The butter block\n\nCold, pliable, exactly square.",
            )],
        }],
    }
}
