//! What the catalogue's services share: who may see and manage what, reference checks,
//! slugs, constraint errors, views of products and courses, and the reorder rule.

use rusqlite::Connection;

use crate::auth::AuthUser;
use crate::catalog::listing::Viewer;
use crate::catalog::markdown;
use crate::catalog::model::{
    Course, CourseView, ImageView, PersonRef, Product, ProductView, public_media_url,
    rating_average,
};
use crate::catalog::store::{self, Table, TagLink, media as media_store, products as pstore};
use crate::http::{AppError, FieldError};
use crate::users::Role;

/// Roles that may author courses and products.
pub const COURSE_AUTHORS: &[Role] = &[Role::Admin, Role::Instructor];
pub const PRODUCT_AUTHORS: &[Role] = &[Role::Admin, Role::Vendor];

/// What a lister may see: admins all, the owning role also their own, others published.
pub fn viewer(user: &Option<AuthUser>, owner_role: Role) -> Viewer {
    match user {
        Some(u) if u.is_admin() => Viewer::Admin,
        Some(u) if u.role == owner_role => Viewer::Owner(u.user_id.clone()),
        _ => Viewer::Public,
    }
}

/// Whether `user` is an admin or the owner `owner_id`.
pub fn may_manage(user: &Option<AuthUser>, owner_id: &str) -> bool {
    user.as_ref()
        .is_some_and(|u| u.is_admin() || u.user_id == owner_id)
}

/// The category, tags and media a product or course refers to must exist; media attached
/// by a non-admin must be their own upload.
pub struct Refs<'a> {
    pub category_id: Option<&'a str>,
    pub tag_ids: &'a [String],
    /// (field name, media ids)
    pub media: Vec<(&'static str, Vec<String>)>,
}

pub fn check_refs(conn: &Connection, refs: &Refs<'_>, user: &AuthUser) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if let Some(category) = refs.category_id
        && !store::exists(conn, Table::Categories, category)?
    {
        errors.push(FieldError::new(
            "category_id",
            crate::msg!("problem-no-category", id = category),
        ));
    }
    let missing = store::missing_ids(conn, Table::Tags, refs.tag_ids)?;
    if !missing.is_empty() {
        errors.push(FieldError::new(
            "tag_ids",
            crate::msg!("problem-unknown-tags", ids = missing.join(", ")),
        ));
    }
    for (field, ids) in &refs.media {
        let missing = store::missing_ids(conn, Table::Media, ids)?;
        if !missing.is_empty() {
            errors.push(FieldError::new(
                *field,
                crate::msg!("problem-unknown-media", ids = missing.join(", ")),
            ));
            continue;
        }
        if !user.is_admin() {
            let foreign = media_store::not_owned(conn, ids, &user.user_id)?;
            if !foreign.is_empty() {
                errors.push(FieldError::new(
                    *field,
                    crate::msg!("problem-foreign-uploads", ids = foreign.join(", ")),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Views of a page of products: tags and images fetched once for the whole page.
pub fn product_views(
    conn: &Connection,
    products: Vec<Product>,
    user: &Option<AuthUser>,
) -> Result<Vec<ProductView>, AppError> {
    let ids: Vec<String> = products.iter().map(|p| p.id.clone()).collect();
    let mut tags = store::tags_for(conn, TagLink::Products, &ids)?;
    let mut images = pstore::images_for(conn, &ids)?;
    Ok(products
        .into_iter()
        .map(|p| {
            let private = may_manage(user, &p.vendor_id);
            ProductView {
                description_html: markdown::render(&p.description),
                tags: tags.remove(&p.id).unwrap_or_default(),
                images: images
                    .remove(&p.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|media_id| ImageView {
                        url: public_media_url(&media_id),
                        media_id,
                    })
                    .collect(),
                has_download: p.download_media_id.is_some(),
                download_media_id: p.download_media_id.filter(|_| private),
                id: p.id,
                name: p.name,
                slug: p.slug,
                description: p.description,
                kind: p.kind,
                price_cents: p.price_cents,
                currency: p.currency,
                stock_quantity: p.stock_quantity,
                sku: p.sku,
                category_id: p.category_id,
                status: p.status,
                vendor_id: p.vendor_id,
                sales_count: p.sales_count,
                created_at: p.created_at,
                updated_at: p.updated_at,
            }
        })
        .collect())
}

/// Views of a page of courses, with tags fetched once for the whole page.
pub fn course_views(conn: &Connection, courses: Vec<Course>) -> Result<Vec<CourseView>, AppError> {
    let ids: Vec<String> = courses.iter().map(|c| c.id.clone()).collect();
    let mut tags = store::tags_for(conn, TagLink::Courses, &ids)?;
    Ok(courses
        .into_iter()
        .map(|c| CourseView {
            description_html: markdown::render(&c.description),
            tags: tags.remove(&c.id).unwrap_or_default(),
            cover_url: c.cover_media_id.as_deref().map(public_media_url),
            rating_average: rating_average(c.rating_sum, c.rating_count),
            instructor: PersonRef {
                id: c.instructor_id.clone(),
                name: c.instructor_name,
            },
            id: c.id,
            title: c.title,
            slug: c.slug,
            description: c.description,
            price_cents: c.price_cents,
            currency: c.currency,
            instructor_id: c.instructor_id,
            category_id: c.category_id,
            cover_media_id: c.cover_media_id,
            level: c.level,
            status: c.status,
            language: c.language,
            rating_count: c.rating_count,
            lesson_count: c.lesson_count,
            total_duration_seconds: c.total_duration_seconds,
            enrollment_count: c.enrollment_count,
            created_at: c.created_at,
            updated_at: c.updated_at,
        })
        .collect())
}

/// Picks the slug: the given one must be free (409 naming `slug`), else one is derived.
pub fn choose_slug(
    conn: &Connection,
    table: Table,
    given: Option<&str>,
    current: Option<&str>,
    source: &str,
    id: &str,
) -> Result<String, AppError> {
    match (given, current) {
        (Some(slug), _) => {
            if store::slug_taken(conn, table, slug, id)? {
                Err(AppError::conflict_on(
                    "slug",
                    crate::msg!("problem-slug-taken", slug = slug),
                ))
            } else {
                Ok(slug.to_string())
            }
        }
        (None, Some(current)) => Ok(current.to_string()),
        (None, None) => Ok(store::free_slug(
            conn,
            table,
            &crate::catalog::slug::slugify(source),
            id,
        )?),
    }
}

/// Maps UNIQUE failures of `table` to 409s naming the field.
pub fn unique_conflict(e: rusqlite::Error, table: &str) -> AppError {
    use crate::http::error::is_unique_violation;
    if is_unique_violation(&e, &format!("{table}.slug")) {
        AppError::conflict_on("slug", "this slug is taken")
    } else if is_unique_violation(&e, &format!("{table}.sku")) {
        AppError::conflict_on("sku", "another product has this SKU")
    } else {
        e.into()
    }
}

/// What deleting a catalogue item did: it is gone, or something still refers to it and it
/// was archived instead (answered with the archived item).
pub enum Removal<V> {
    Deleted,
    Archived(Box<V>),
}

/// Deletes an item unless `referenced`, falling back to archiving it when the delete hits a
/// foreign key (a reference the caller's check did not know of). True when archived.
pub fn delete_or_archive(
    referenced: bool,
    delete: impl FnOnce() -> rusqlite::Result<()>,
    archive: impl FnOnce() -> rusqlite::Result<()>,
) -> Result<bool, AppError> {
    let mut archived = referenced;
    if !archived && let Err(e) = delete() {
        if store::is_foreign_key_violation(&e) {
            archived = true;
        } else {
            return Err(e.into());
        }
    }
    if archived {
        archive()?;
    }
    Ok(archived)
}

/// A reorder must name every current id exactly once: `given` is a permutation of `current`.
pub fn check_permutation(
    field: &str,
    given: &[String],
    current: &[String],
) -> Result<(), AppError> {
    let mut a = given.to_vec();
    let mut b = current.to_vec();
    a.sort();
    b.sort();
    if a == b {
        Ok(())
    } else {
        Err(AppError::Validation(vec![FieldError::new(
            field,
            "must list every current id exactly once, in the new order",
        )]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, role: Role) -> Option<AuthUser> {
        Some(AuthUser {
            user_id: id.into(),
            session_id: "s".into(),
            role,
        })
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_reorder_that_lists_every_id_once_is_accepted() {
        let current = ids(&["a", "b", "c"]);
        assert!(check_permutation("ids", &ids(&["c", "a", "b"]), &current).is_ok());
    }

    #[test]
    fn a_reorder_that_drops_repeats_or_invents_an_id_is_refused() {
        let current = ids(&["a", "b", "c"]);
        for given in [
            &["a", "b"][..],
            &["a", "b", "b"],
            &["a", "b", "c", "d"],
            &["a", "b", "x"],
        ] {
            match check_permutation("section_ids", &ids(given), &current) {
                Err(AppError::Validation(errors)) => assert_eq!(errors[0].field, "section_ids"),
                other => panic!("{given:?} should be refused, got {other:?}"),
            }
        }
    }

    #[test]
    fn only_admins_and_the_owner_may_manage_an_item() {
        assert!(may_manage(&user("ada", Role::Admin), "vera"));
        assert!(may_manage(&user("vera", Role::Vendor), "vera"));
        assert!(!may_manage(&user("vic", Role::Vendor), "vera"));
        assert!(!may_manage(&None, "vera"));
    }

    #[test]
    fn a_lister_sees_all_as_admin_their_own_as_owner_role_else_the_public_list() {
        assert_eq!(
            viewer(&user("ada", Role::Admin), Role::Vendor),
            Viewer::Admin
        );
        assert_eq!(
            viewer(&user("vera", Role::Vendor), Role::Vendor),
            Viewer::Owner("vera".into())
        );
        // A vendor listing courses owns none of them.
        assert_eq!(
            viewer(&user("vera", Role::Vendor), Role::Instructor),
            Viewer::Public
        );
        assert_eq!(viewer(&None, Role::Vendor), Viewer::Public);
    }
}
