//! The products a bundle may include (pure rules over what the store reads of each one).

use super::validate::Writer;
use crate::catalog::model::Status;
use crate::http::{AppError, FieldError};

/// Most products one bundle may include.
pub const MAX_PRODUCTS: usize = 20;

/// Shape problems of `product_ids`: at most [`MAX_PRODUCTS`], none empty, none twice (each
/// product is included once).
pub fn id_problems(ids: &[String]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if ids.len() > MAX_PRODUCTS {
        errors.push(FieldError::new(
            "product_ids",
            crate::msg!("problem-bundle-max-products", max = MAX_PRODUCTS),
        ));
    } else if ids.iter().any(String::is_empty) {
        errors.push(FieldError::new("product_ids", "a product id is empty"));
    } else if let Some((_, twice)) = ids
        .iter()
        .enumerate()
        .find(|(i, id)| ids[..*i].contains(id))
    {
        errors.push(FieldError::new(
            "product_ids",
            crate::msg!("problem-bundle-product-twice", id = twice.as_str()),
        ));
    }
    errors
}

/// What the store knows of a product a bundle names (`None`: no such product).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductFact {
    pub status: Status,
    pub vendor_id: String,
    pub currency: String,
}

/// Whether a bundle in `currency` may include these products: each must exist, be published
/// and be priced in the bundle's currency (422 naming `product_ids`); the bundle's owner must
/// own them unless an admin writes it (403: someone else's goods are not theirs to sell).
pub fn check_products(
    writer: Writer<'_>,
    currency: &str,
    products: &[(String, Option<ProductFact>)],
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    for (id, fact) in products {
        let Some(fact) = fact else {
            errors.push(FieldError::new(
                "product_ids",
                crate::msg!("problem-bundle-product-missing", id = id.as_str()),
            ));
            continue;
        };
        if let Writer::Instructor(me) = writer
            && fact.vendor_id != me
        {
            return Err(AppError::Forbidden(crate::msg!(
                "problem-bundle-product-not-yours",
                id = id.as_str()
            )));
        }
        if fact.status != Status::Published {
            errors.push(FieldError::new(
                "product_ids",
                crate::msg!(
                    "problem-bundle-product-status",
                    id = id.as_str(),
                    status = crate::status::word(fact.status)
                ),
            ));
        } else if !fact.currency.eq_ignore_ascii_case(currency) {
            errors.push(FieldError::new(
                "product_ids",
                crate::msg!(
                    "problem-bundle-product-currency",
                    id = id.as_str(),
                    currency = fact.currency.as_str(),
                    bundle_currency = currency
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(status: Status, vendor: &str, currency: &str) -> Option<ProductFact> {
        Some(ProductFact {
            status,
            vendor_id: vendor.into(),
            currency: currency.into(),
        })
    }

    fn fields(err: AppError) -> Vec<String> {
        match err {
            AppError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected a 422, got {other:?}"),
        }
    }

    #[test]
    fn an_admin_may_include_anyones_published_products_in_the_bundles_currency() {
        let products = [("p".to_string(), fact(Status::Published, "vendor", "USD"))];
        assert!(check_products(Writer::Admin, "USD", &products).is_ok());
    }

    #[test]
    fn an_instructor_may_include_only_their_own_products() {
        let products = [("p".to_string(), fact(Status::Published, "vendor", "USD"))];
        assert!(matches!(
            check_products(Writer::Instructor("me"), "USD", &products),
            Err(AppError::Forbidden(_))
        ));
        let mine = [("p".to_string(), fact(Status::Published, "me", "USD"))];
        assert!(check_products(Writer::Instructor("me"), "USD", &mine).is_ok());
    }

    #[test]
    fn missing_unpublished_or_foreign_currency_products_are_refused() {
        for product in [
            None,
            fact(Status::Draft, "v", "USD"),
            fact(Status::Archived, "v", "USD"),
            fact(Status::Published, "v", "EUR"),
        ] {
            let products = [("p".to_string(), product.clone())];
            assert_eq!(
                fields(check_products(Writer::Admin, "USD", &products).unwrap_err()),
                ["product_ids"],
                "{product:?}"
            );
        }
    }

    #[test]
    fn a_product_named_twice_or_too_many_products_are_refused() {
        let twice = ["a".to_string(), "a".to_string()];
        assert_eq!(id_problems(&twice).len(), 1);
        let many: Vec<String> = (0..=MAX_PRODUCTS).map(|n| n.to_string()).collect();
        assert_eq!(id_problems(&many).len(), 1);
        assert!(id_problems(&[]).is_empty(), "products are optional");
    }
}
