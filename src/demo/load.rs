//! Loads the demo school through the same code the HTTP API runs: the account service, then
//! the catalogue services and the coupon service, called as the demo's authors (no SQL here).

use std::collections::HashMap;

use anyhow::Context;
use axum::body::Bytes;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::courses::{self, CourseSpec};
use super::data::{self, PEOPLE};
use crate::auth::AuthUser;
use crate::auth::service::{NewAccount, Origin, create_account};
use crate::catalog::model::{Course, Product};
use crate::catalog::service::{Author, items, lessons, media, sections, taxonomy};
use crate::state::AppState;
use crate::users::Role;

/// Ids of what was created, by the keys used in `data.rs` and `courses.rs`.
#[derive(Default)]
pub struct Loaded {
    pub users: HashMap<&'static str, (String, Role)>,
    pub media: HashMap<&'static str, String>,
    pub categories: HashMap<&'static str, String>,
    pub tags: HashMap<&'static str, String>,
    pub courses: HashMap<&'static str, String>,
    /// `course/lesson` -> lesson id
    pub lessons: HashMap<String, String>,
    /// quiz lesson id -> (question id, correct answer)
    pub answer_keys: HashMap<String, Vec<(String, Value)>>,
    pub products: HashMap<&'static str, String>,
    pub coupons: Vec<String>,
}

impl Loaded {
    /// The demo person `key` as a signed-in caller of the handlers.
    pub fn caller(&self, key: &str) -> anyhow::Result<AuthUser> {
        let (id, role) = self
            .users
            .get(key)
            .with_context(|| format!("the demo data names an unknown person `{key}`"))?;
        Ok(AuthUser {
            user_id: id.clone(),
            session_id: "demo-loader".into(),
            role: *role,
        })
    }

    pub fn user_id(&self, key: &str) -> anyhow::Result<String> {
        Ok(self.caller(key)?.user_id)
    }

    /// The demo person `key` as the author of a catalogue change (no IP address).
    pub fn author(&self, key: &str) -> anyhow::Result<Author> {
        Ok(Author::new(self.caller(key)?, None))
    }
}

/// A request body as the API would parse it from JSON.
pub fn body<T: DeserializeOwned>(value: Value) -> anyhow::Result<T> {
    let text = value.to_string();
    serde_json::from_value(value)
        .with_context(|| format!("a demo request body does not parse: {text}"))
}

pub fn find<'a>(
    map: &'a HashMap<&'static str, String>,
    what: &str,
    key: &str,
) -> anyhow::Result<&'a String> {
    map.get(key)
        .with_context(|| format!("the demo data names an unknown {what} `{key}`"))
}

fn ids(map: &HashMap<&'static str, String>, what: &str, keys: &[&str]) -> anyhow::Result<Value> {
    let ids: anyhow::Result<Vec<&String>> = keys.iter().map(|k| find(map, what, k)).collect();
    Ok(json!(ids?))
}

/// Accounts, files, categories, tags, courses, products and coupons.
pub async fn catalogue(state: &AppState) -> anyhow::Result<Loaded> {
    let mut loaded = Loaded::default();
    let origin = Origin {
        ip: None,
        user_agent: Some("schoolhouse demo".into()),
    };
    for person in PEOPLE {
        let account = NewAccount {
            email: person.email.into(),
            password: person.password.into(),
            name: person.name.into(),
            role: person.role,
        };
        let user = create_account(state, account, None, &origin)
            .await
            .with_context(|| format!("creating the account {}", person.email))?;
        loaded.users.insert(person.key, (user.id, person.role));
    }
    for asset in data::ASSETS {
        let id = upload(
            state,
            loaded.caller(asset.owner)?,
            asset.file_name,
            asset.bytes,
        )
        .await
        .with_context(|| format!("uploading {}", asset.file_name))?;
        loaded.media.insert(asset.key, id);
    }
    taxonomy_and_coupons(state, &mut loaded).await?;
    for spec in courses::courses() {
        course(state, &mut loaded, spec).await?;
    }
    for spec in data::products() {
        let mut fields = spec.body;
        fields["category_id"] = json!(find(&loaded.categories, "category", spec.category)?);
        fields["tag_ids"] = ids(&loaded.tags, "tag", spec.tags)?;
        fields["image_ids"] = ids(&loaded.media, "file", spec.images)?;
        if let Some(download) = spec.download {
            fields["download_media_id"] = json!(find(&loaded.media, "file", download)?);
        }
        let vendor = loaded.author(spec.vendor)?;
        let view = items::create::<Product>(state, vendor, body(fields)?)
            .await
            .with_context(|| format!("creating the product {}", spec.key))?;
        loaded.products.insert(spec.key, view.id);
    }
    Ok(loaded)
}

/// Uploads a file through the media service, as the upload handler does.
async fn upload(
    state: &AppState,
    caller: AuthUser,
    file_name: &str,
    bytes: &'static [u8],
) -> anyhow::Result<String> {
    let chunks = Some(Bytes::from_static(bytes));
    let view = media::upload(state, &caller, Some(file_name), chunks).await?;
    Ok(view.id)
}

async fn taxonomy_and_coupons(state: &AppState, loaded: &mut Loaded) -> anyhow::Result<()> {
    let admin = loaded.author("ada")?;
    for (key, name, parent) in data::CATEGORIES {
        let parent_id = match parent {
            Some(p) => Some(find(&loaded.categories, "category", p)?.clone()),
            None => None,
        };
        let fields = json!({ "name": name, "parent_id": parent_id });
        let view = taxonomy::create_category(state, admin.clone(), body(fields)?)
            .await
            .with_context(|| format!("creating the category {name}"))?;
        loaded.categories.insert(key, view.id);
    }
    for name in data::TAGS {
        let fields = json!({ "name": name });
        let view = taxonomy::create_tag(state, admin.clone(), body(fields)?)
            .await
            .with_context(|| format!("creating the tag {name}"))?;
        loaded.tags.insert(name, view.id);
    }
    let expires = crate::clock::rfc3339(state.now() + time::Duration::days(90));
    for fields in data::coupons(&expires) {
        let code = fields["code"].as_str().unwrap_or_default().to_string();
        let view =
            crate::commerce::coupon_routes::create(state, admin.user.clone(), None, body(fields)?)
                .await
                .with_context(|| format!("creating the coupon {code}"))?;
        loaded.coupons.push(view.code);
    }
    Ok(())
}

/// One course with its sections and lessons, created by its instructor.
async fn course(state: &AppState, loaded: &mut Loaded, spec: CourseSpec) -> anyhow::Result<()> {
    let author = loaded.author(spec.instructor)?;
    let mut fields = spec.body;
    fields["category_id"] = json!(find(&loaded.categories, "category", spec.category)?);
    fields["tag_ids"] = ids(&loaded.tags, "tag", spec.tags)?;
    if let Some(cover) = spec.cover {
        fields["cover_media_id"] = json!(find(&loaded.media, "file", cover)?);
    }
    let view = items::create::<Course>(state, author.clone(), body(fields)?)
        .await
        .with_context(|| format!("creating the course {}", spec.key))?;
    let course_id = view.id;
    for section in spec.sections {
        let created = sections::create(state, author.clone(), course_id.clone(), section.title)
            .await
            .with_context(|| format!("creating the section {}", section.title))?;
        for lesson in section.lessons {
            let key = format!("{}/{}", spec.key, lesson.key);
            let mut fields = lesson.body;
            fields["section_id"] = json!(created.id);
            if let Some(media) = lesson.media {
                fields["media_id"] = json!(find(&loaded.media, "file", media)?);
            }
            let view = lessons::create(state, author.clone(), course_id.clone(), body(fields)?)
                .await
                .with_context(|| format!("creating the lesson {key}"))?;
            let questions = view.content.and_then(|c| c.questions).unwrap_or_default();
            if !questions.is_empty() {
                let key_of = |q: crate::catalog::outline::QuestionView| {
                    (
                        q.id,
                        correct_answer(q.kind, q.answer.unwrap_or(Value::Null)),
                    )
                };
                let answers = questions.into_iter().map(key_of).collect();
                loaded.answer_keys.insert(view.id.clone(), answers);
            }
            loaded.lessons.insert(key, view.id);
        }
    }
    loaded.courses.insert(spec.key, course_id);
    Ok(())
}

/// What a learner sends to answer correctly: the key itself, except that a short-text
/// question keeps a list of accepted answers and takes one of them.
fn correct_answer(kind: crate::catalog::model::QuestionKind, key: Value) -> Value {
    match (kind, key) {
        (crate::catalog::model::QuestionKind::ShortText, Value::Array(mut accepted)) => {
            if accepted.is_empty() {
                Value::Null
            } else {
                accepted.swap_remove(0)
            }
        }
        (_, key) => key,
    }
}
