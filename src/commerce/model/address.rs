//! Where physical goods go: the postal address and the country codes tax and shipping use.

use serde::{Deserialize, Serialize};

use crate::http::FieldError;

/// A postal address for physical goods.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Address {
    pub name: String,
    pub line1: String,
    #[serde(default)]
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, any case (stored upper-case).
    pub country: String,
}

impl Address {
    /// Trims every part, upper-cases the country and names each invalid field.
    pub fn normalized(&self) -> Result<Address, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut required = |field: &str, value: &str, max: usize| -> String {
            let value = value.trim().to_string();
            if value.is_empty() {
                errors.push(FieldError::new(
                    format!("shipping_address.{field}"),
                    "is required",
                ));
            } else if value.chars().count() > max {
                errors.push(FieldError::new(
                    format!("shipping_address.{field}"),
                    crate::msg!("problem-max-chars", max = max),
                ));
            }
            value
        };
        let name = required("name", &self.name, 200);
        let line1 = required("line1", &self.line1, 200);
        let city = required("city", &self.city, 100);
        let postal_code = required("postal_code", &self.postal_code, 20);
        let line2 = self
            .line2
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string);
        if line2.as_ref().is_some_and(|l| l.chars().count() > 200) {
            errors.push(FieldError::new(
                "shipping_address.line2",
                "must be at most 200 characters",
            ));
        }
        let country = match normalize_country(&self.country) {
            Some(c) => c,
            None => {
                errors.push(FieldError::new(
                    "shipping_address.country",
                    "must be a two-letter ISO 3166-1 country code such as DE",
                ));
                String::new()
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Address {
            name,
            line1,
            line2,
            city,
            postal_code,
            country,
        })
    }
}

/// `Some("DE")` for an ISO 3166-1 alpha-2 code in any case; `None` for codes no country has
/// (`XX`) and for names (`Germany`).
pub fn normalize_country(raw: &str) -> Option<String> {
    isocountry::CountryCode::for_alpha2_caseless(raw.trim())
        .ok()
        .map(|country| country.alpha2().to_string())
}
