//! `/api/products`: the shop's goods (the handlers are the ones courses share).

use crate::catalog::cache::PRODUCT_SOURCES;
use crate::catalog::model::{Product, ProductView};
use crate::catalog::validate::ProductBody;

super::items::item_routes! {
    item: Product, view: ProductView, body: ProductBody, sources: PRODUCT_SOURCES,
    paths: "/api/products", "/api/products/{id}", cache_keys: "products", "product",
    conflict: "slug or sku taken",
    /// List products: filters, sort, full-text search. Sends a weak ETag.
    list: list_products,
    /// One product by id or slug (drafts only for their vendor and admins).
    get: get_product,
    /// Create a product (admins and vendors); the caller is its vendor.
    create: create_product,
    /// Update a product (admins, or its vendor; other vendors get 404). Send any fields.
    update: update_product,
    /// Delete a product (admins). One that any order refers to is archived instead (200 with the
    /// archived product); otherwise 204.
    delete: delete_product,
}
