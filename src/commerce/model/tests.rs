//! Order numbers, countries and the shapes of commerce requests.

#[test]
fn only_codes_of_real_countries_are_countries() {
    assert_eq!(normalize_country(" de "), Some("DE".into()));
    assert_eq!(normalize_country("GE"), Some("GE".into()));
    for not_one in ["XX", "ZZ", "Germany", "D", "", "DEU"] {
        assert_eq!(normalize_country(not_one), None, "{not_one}");
    }
}

use super::*;

#[test]
fn order_numbers_are_zero_padded() {
    assert_eq!(format_order_number(1), "SH-000001");
    assert_eq!(format_order_number(1234567), "SH-1234567");
}

#[test]
fn quantities_outside_the_bounds_are_refused() {
    assert!(check_quantity(0).is_err());
    assert!(check_quantity(-3).is_err());
    assert!(check_quantity(1001).is_err());
    assert_eq!(check_quantity(1000), Ok(1000));
}

#[test]
fn addresses_name_every_bad_field() {
    let address = Address {
        name: " ".into(),
        line1: "1 Main St".into(),
        line2: Some("  ".into()),
        city: "Berlin".into(),
        postal_code: "10115".into(),
        country: "Germany".into(),
    };
    let errors = address.normalized().unwrap_err();
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["shipping_address.name", "shipping_address.country"]
    );
    let ok = Address {
        name: "Ada".into(),
        country: "de".into(),
        ..address
    }
    .normalized()
    .unwrap();
    assert_eq!((ok.country.as_str(), ok.line2), ("DE", None));
}
