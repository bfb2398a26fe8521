//! Table-driven tests of cart pricing: coupons, tax, shipping, rounding and invariants.

use std::collections::BTreeMap;

use super::*;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-06-15 12:00 UTC);

fn line(kind: ItemKind, item_id: &str, unit_price_cents: i64, quantity: u32) -> CartLine {
    CartLine {
        kind,
        item_id: item_id.to_owned(),
        unit_price_cents,
        quantity,
        shipped_units: u32::from(kind.is_physical()),
    }
}

fn physical(item_id: &str, unit_price_cents: i64, quantity: u32) -> CartLine {
    line(
        ItemKind::PhysicalProduct,
        item_id,
        unit_price_cents,
        quantity,
    )
}

fn digital(item_id: &str, unit_price_cents: i64, quantity: u32) -> CartLine {
    line(
        ItemKind::DigitalProduct,
        item_id,
        unit_price_cents,
        quantity,
    )
}

fn course(item_id: &str, unit_price_cents: i64) -> CartLine {
    line(ItemKind::Course, item_id, unit_price_cents, 1)
}

fn coupon(discount: CouponDiscount) -> Coupon {
    Coupon {
        code: "SAVE".to_owned(),
        discount,
        min_subtotal_cents: None,
        scope: CouponScope::All,
        starts_at: None,
        expires_at: None,
        max_redemptions: None,
        max_redemptions_per_user: None,
    }
}

fn no_tax() -> TaxSettings {
    TaxSettings::default()
}

fn exclusive_tax(rate_bps: u32) -> TaxSettings {
    TaxSettings {
        default_rate_bps: rate_bps,
        ..TaxSettings::default()
    }
}

fn inclusive_tax(rate_bps: u32) -> TaxSettings {
    TaxSettings {
        prices_include_tax: true,
        default_rate_bps: rate_bps,
        ..TaxSettings::default()
    }
}

fn method(id: &str, rate: ShippingRate, countries: &[&str]) -> ShippingMethod {
    ShippingMethod {
        id: id.to_owned(),
        name: format!("{id} shipping"),
        rate,
        countries: countries.iter().map(|code| (*code).to_owned()).collect(),
    }
}

fn input<'a>(lines: &'a [CartLine], tax: &'a TaxSettings) -> PricingInput<'a> {
    PricingInput {
        lines,
        coupon: None,
        tax,
        country: Some("DE"),
        shipping_methods: &[],
        shipping_method_id: None,
    }
}

fn with_coupon<'a>(base: PricingInput<'a>, coupon: &'a Coupon) -> PricingInput<'a> {
    PricingInput {
        coupon: Some(CouponApplication {
            coupon,
            usage: CouponUsage::default(),
            now: NOW,
        }),
        ..base
    }
}

fn discounts(cart: &PricedCart) -> Vec<i64> {
    cart.lines.iter().map(|line| line.discount_cents).collect()
}

/// Checks every invariant promised in the module documentation.
fn assert_consistent(cart: &PricedCart) {
    let sum = |field: fn(&PricedLine) -> i64| cart.lines.iter().map(field).sum::<i64>();
    assert_eq!(cart.subtotal_cents, sum(|line| line.subtotal_cents));
    assert_eq!(cart.discount_cents, sum(|line| line.discount_cents));
    assert_eq!(cart.tax_cents, sum(|line| line.tax_cents));
    let added_tax = if cart.prices_include_tax {
        0
    } else {
        cart.tax_cents
    };
    assert_eq!(
        cart.total_cents,
        cart.subtotal_cents - cart.discount_cents + added_tax + cart.shipping_cents
    );
    assert_eq!(
        cart.total_cents,
        sum(|line| line.total_cents) + cart.shipping_cents
    );
    for line in &cart.lines {
        assert_eq!(
            line.subtotal_cents,
            line.unit_price_cents * i64::from(line.quantity)
        );
        assert!(line.discount_cents >= 0 && line.discount_cents <= line.subtotal_cents);
        assert!(line.tax_cents >= 0);
        assert!(line.total_cents >= 0);
    }
    assert!(cart.total_cents >= 0);
}

#[test]
fn half_up_rounding_rounds_halves_up_and_the_rest_to_nearest() {
    let cases: &[(i128, i128, i128)] = &[
        (0, 7, 0),
        (10, 5, 2),
        (14, 10, 1),
        (15, 10, 2),
        (25, 10, 3),
        (16, 10, 2),
        (4999, 10_000, 0),
        (5000, 10_000, 1),
        (1, 3, 0),
        (2, 3, 1),
    ];
    for &(numerator, denominator, expected) in cases {
        assert_eq!(
            div_round_half_up(numerator, denominator),
            expected,
            "{numerator}/{denominator}"
        );
    }
}

#[test]
fn cart_without_coupon_tax_or_shipping_costs_its_subtotal() {
    let lines = [digital("ebook", 1999, 2), course("rust-101", 4900)];
    let tax = no_tax();
    let cart = price_cart(&input(&lines, &tax)).unwrap();
    assert_eq!(cart.subtotal_cents, 8898);
    assert_eq!(cart.discount_cents, 0);
    assert_eq!(cart.tax_cents, 0);
    assert_eq!(cart.shipping_cents, 0);
    assert_eq!(cart.total_cents, 8898);
    assert_eq!(cart.coupon_code, None);
    assert_eq!(cart.shipping_method_id, None);
    assert_consistent(&cart);
}

#[test]
fn empty_cart_costs_nothing() {
    let tax = exclusive_tax(1900);
    let cart = price_cart(&input(&[], &tax)).unwrap();
    assert_eq!(cart.total_cents, 0);
    assert!(cart.lines.is_empty());
}

#[test]
fn percent_coupon_discounts_only_lines_in_its_scope() {
    let lines = [
        physical("mug", 1000, 1),
        digital("ebook", 2000, 1),
        course("rust-101", 5000),
    ];
    let cases: &[(CouponScope, [i64; 3])] = &[
        (CouponScope::All, [100, 200, 500]),
        (CouponScope::Products, [100, 200, 0]),
        (CouponScope::Courses, [0, 0, 500]),
        (CouponScope::Items(vec!["ebook".into()]), [0, 200, 0]),
        (
            CouponScope::Items(vec!["mug".into(), "rust-101".into()]),
            [100, 0, 500],
        ),
    ];
    let tax = no_tax();
    let shipping = [method("post", ShippingRate::Flat { cents: 0 }, &[])];
    for (scope, expected) in cases {
        let coupon = Coupon {
            scope: scope.clone(),
            ..coupon(CouponDiscount::Percent(10))
        };
        let base = PricingInput {
            shipping_methods: &shipping,
            shipping_method_id: Some("post"),
            ..input(&lines, &tax)
        };
        let cart = price_cart(&with_coupon(base, &coupon)).unwrap();
        assert_eq!(discounts(&cart), expected, "{scope:?}");
        assert_eq!(cart.coupon_code.as_deref(), Some("SAVE"));
        assert_consistent(&cart);
    }
}

#[test]
fn percent_coupon_rounds_each_line_half_up() {
    // (line prices, percent, expected per-line discounts)
    let cases: &[(&[i64], u32, &[i64])] = &[
        (&[333, 333, 333], 10, &[33, 33, 33]),
        (&[335], 10, &[34]),
        (&[334], 10, &[33]),
        (&[5], 10, &[1]),
        (&[4], 10, &[0]),
        (&[1, 1], 50, &[1, 1]),
        (&[999], 100, &[999]),
        (&[1999, 1], 15, &[300, 0]),
    ];
    let tax = no_tax();
    for &(prices, percent, expected) in cases {
        let lines: Vec<CartLine> = prices
            .iter()
            .enumerate()
            .map(|(index, &price)| digital(&format!("item-{index}"), price, 1))
            .collect();
        let coupon = coupon(CouponDiscount::Percent(percent));
        let cart = price_cart(&with_coupon(input(&lines, &tax), &coupon)).unwrap();
        assert_eq!(discounts(&cart), expected, "{prices:?} at {percent}%");
        assert_consistent(&cart);
    }
}

#[test]
fn fixed_coupon_is_shared_by_largest_remainder_and_sums_exactly() {
    // (covered line subtotals, coupon cents, expected shares)
    let cases: &[(&[i64], i64, &[i64])] = &[
        (&[1000], 300, &[300]),
        (&[1000, 1000], 300, &[150, 150]),
        (&[1000, 1000, 1000], 100, &[34, 33, 33]),
        (&[333, 333, 333], 100, &[34, 33, 33]),
        (&[100, 200], 100, &[33, 67]),
        (&[1, 1, 1], 2, &[1, 1, 0]),
        (&[500, 1500, 3000], 1000, &[100, 300, 600]),
        (&[700, 300], 999, &[699, 300]),
        (&[1000, 1000], 5000, &[1000, 1000]),
    ];
    let tax = no_tax();
    for &(prices, cents, expected) in cases {
        let lines: Vec<CartLine> = prices
            .iter()
            .enumerate()
            .map(|(index, &price)| digital(&format!("item-{index}"), price, 1))
            .collect();
        let coupon = coupon(CouponDiscount::FixedCents(cents));
        let cart = price_cart(&with_coupon(input(&lines, &tax), &coupon)).unwrap();
        assert_eq!(discounts(&cart), expected, "{cents} over {prices:?}");
        assert_eq!(
            cart.discount_cents,
            cents.min(prices.iter().sum()),
            "{cents} over {prices:?}"
        );
        assert_consistent(&cart);
    }
}

#[test]
fn fixed_coupon_larger_than_covered_subtotal_takes_off_only_covered_lines() {
    let lines = [course("rust-101", 1500), digital("ebook", 2000, 1)];
    let coupon = Coupon {
        scope: CouponScope::Courses,
        ..coupon(CouponDiscount::FixedCents(10_000))
    };
    let tax = exclusive_tax(1000);
    let cart = price_cart(&with_coupon(input(&lines, &tax), &coupon)).unwrap();
    assert_eq!(discounts(&cart), [1500, 0]);
    assert_eq!(cart.discount_cents, 1500);
    // Only the uncovered ebook remains to be paid, plus its 10 % tax.
    assert_eq!(cart.tax_cents, 200);
    assert_eq!(cart.total_cents, 2200);
    assert_consistent(&cart);
}

#[test]
fn fixed_coupon_gives_free_lines_no_share() {
    let lines = [digital("free-sample", 0, 1), digital("ebook", 2000, 1)];
    let coupon = coupon(CouponDiscount::FixedCents(500));
    let tax = no_tax();
    let cart = price_cart(&with_coupon(input(&lines, &tax), &coupon)).unwrap();
    assert_eq!(discounts(&cart), [0, 500]);
    assert_consistent(&cart);
}

#[test]
fn coupon_with_nothing_to_discount_is_not_applicable() {
    let tax = no_tax();
    let cases: &[(CouponScope, &[CartLine])] = &[
        (CouponScope::Courses, &[]),
        (
            CouponScope::Courses,
            &[CartLine {
                kind: ItemKind::DigitalProduct,
                item_id: String::new(),
                unit_price_cents: 100,
                quantity: 1,
                shipped_units: 0,
            }],
        ),
        (
            CouponScope::Products,
            &[CartLine {
                kind: ItemKind::Course,
                item_id: String::new(),
                unit_price_cents: 100,
                quantity: 1,
                shipped_units: 0,
            }],
        ),
        (
            CouponScope::All,
            &[CartLine {
                kind: ItemKind::Course,
                item_id: String::new(),
                unit_price_cents: 0,
                quantity: 1,
                shipped_units: 0,
            }],
        ),
    ];
    for (scope, lines) in cases {
        for discount in [CouponDiscount::Percent(10), CouponDiscount::FixedCents(100)] {
            let coupon = Coupon {
                scope: scope.clone(),
                ..coupon(discount)
            };
            assert_eq!(
                price_cart(&with_coupon(input(lines, &tax), &coupon)),
                Err(PricingError::CouponRejected(CouponRejection::NotApplicable)),
                "{scope:?} {discount:?}"
            );
            assert_eq!(
                coupon.check(lines, CouponUsage::default(), NOW),
                Err(CouponRejection::NotApplicable)
            );
        }
    }
}

#[test]
fn coupon_minimum_is_compared_with_the_whole_cart_subtotal() {
    // (minimum, cart lines, expected)
    let cases: &[(i64, &[i64], Result<(), CouponRejection>)] = &[
        (5000, &[5000], Ok(())),
        (5000, &[2500, 2500], Ok(())),
        (5000, &[6000], Ok(())),
        (
            5000,
            &[4999],
            Err(CouponRejection::BelowMinimum {
                min_subtotal_cents: 5000,
            }),
        ),
        (0, &[1], Ok(())),
    ];
    let tax = no_tax();
    for &(minimum, prices, ref expected) in cases {
        let lines: Vec<CartLine> = prices
            .iter()
            .enumerate()
            .map(|(index, &price)| digital(&format!("item-{index}"), price, 1))
            .collect();
        let coupon = Coupon {
            min_subtotal_cents: Some(minimum),
            ..coupon(CouponDiscount::Percent(10))
        };
        assert_eq!(
            &coupon.check(&lines, CouponUsage::default(), NOW),
            expected,
            "min {minimum} cart {prices:?}"
        );
        let priced = price_cart(&with_coupon(input(&lines, &tax), &coupon));
        match expected {
            Ok(()) => assert_consistent(&priced.unwrap()),
            Err(reason) => {
                assert_eq!(priced, Err(PricingError::CouponRejected(reason.clone())))
            }
        }
    }
}

#[test]
fn coupon_minimum_counts_lines_outside_the_scope() {
    let lines = [course("rust-101", 1000), digital("ebook", 4000, 1)];
    let coupon = Coupon {
        scope: CouponScope::Courses,
        min_subtotal_cents: Some(5000),
        ..coupon(CouponDiscount::Percent(50))
    };
    let tax = no_tax();
    let cart = price_cart(&with_coupon(input(&lines, &tax), &coupon)).unwrap();
    assert_eq!(discounts(&cart), [500, 0]);
}

#[test]
fn coupon_is_valid_from_its_start_until_just_before_its_expiry() {
    let starts = Some(datetime!(2026-06-01 00:00 UTC));
    let expires = Some(datetime!(2026-07-01 00:00 UTC));
    type Case = (
        Option<OffsetDateTime>,
        Option<OffsetDateTime>,
        OffsetDateTime,
        Result<(), CouponRejection>,
    );
    let cases: &[Case] = &[
        (None, None, NOW, Ok(())),
        (starts, expires, NOW, Ok(())),
        (starts, expires, datetime!(2026-06-01 00:00 UTC), Ok(())),
        (
            starts,
            expires,
            datetime!(2026-05-31 23:59:59 UTC),
            Err(CouponRejection::NotStarted),
        ),
        (starts, expires, datetime!(2026-06-30 23:59:59 UTC), Ok(())),
        (
            starts,
            expires,
            datetime!(2026-07-01 00:00 UTC),
            Err(CouponRejection::Expired),
        ),
        (
            None,
            expires,
            datetime!(2027-01-01 00:00 UTC),
            Err(CouponRejection::Expired),
        ),
        (
            starts,
            None,
            datetime!(2020-01-01 00:00 UTC),
            Err(CouponRejection::NotStarted),
        ),
        (starts, None, datetime!(2099-01-01 00:00 UTC), Ok(())),
        // Offsets are respected: 01:00+02:00 is 23:00 UTC the day before.
        (
            starts,
            expires,
            datetime!(2026-06-01 01:00 +2),
            Err(CouponRejection::NotStarted),
        ),
    ];
    let lines = [digital("ebook", 1000, 1)];
    for &(starts_at, expires_at, now, ref expected) in cases {
        let coupon = Coupon {
            starts_at,
            expires_at,
            ..coupon(CouponDiscount::Percent(10))
        };
        assert_eq!(
            &coupon.check(&lines, CouponUsage::default(), now),
            expected,
            "{starts_at:?}..{expires_at:?} at {now}"
        );
    }
}

#[test]
fn coupon_redemption_limits_count_everyone_and_each_buyer() {
    // (max total, max per user, used total, used by user, expected)
    type Case = (
        Option<u32>,
        Option<u32>,
        u32,
        u32,
        Result<(), CouponRejection>,
    );
    let cases: &[Case] = &[
        (None, None, 1_000_000, 1_000, Ok(())),
        (Some(100), None, 99, 5, Ok(())),
        (Some(100), None, 100, 0, Err(CouponRejection::UsedUp)),
        (Some(100), None, 150, 0, Err(CouponRejection::UsedUp)),
        (None, Some(1), 10, 0, Ok(())),
        (None, Some(1), 10, 1, Err(CouponRejection::UsedUpForUser)),
        (None, Some(3), 10, 2, Ok(())),
        (Some(0), None, 0, 0, Err(CouponRejection::UsedUp)),
        // The shop-wide limit is reported before the personal one.
        (Some(5), Some(1), 5, 1, Err(CouponRejection::UsedUp)),
    ];
    let lines = [digital("ebook", 1000, 1)];
    for &(max_total, max_per_user, used_total, used_by_user, ref expected) in cases {
        let coupon = Coupon {
            max_redemptions: max_total,
            max_redemptions_per_user: max_per_user,
            ..coupon(CouponDiscount::FixedCents(100))
        };
        let usage = CouponUsage {
            total_redemptions: used_total,
            user_redemptions: used_by_user,
        };
        assert_eq!(
            &coupon.check(&lines, usage, NOW),
            expected,
            "limits {max_total:?}/{max_per_user:?} used {used_total}/{used_by_user}"
        );
    }
}

#[test]
fn coupon_reports_dates_before_limits_before_the_cart() {
    let coupon = Coupon {
        expires_at: Some(datetime!(2026-01-01 00:00 UTC)),
        max_redemptions: Some(1),
        min_subtotal_cents: Some(1_000_000),
        scope: CouponScope::Courses,
        ..coupon(CouponDiscount::Percent(10))
    };
    let usage = CouponUsage {
        total_redemptions: 1,
        user_redemptions: 0,
    };
    let lines = [digital("ebook", 100, 1)];
    assert_eq!(
        coupon.check(&lines, usage, NOW),
        Err(CouponRejection::Expired)
    );
}

#[test]
fn coupon_codes_match_ignoring_case_and_outer_spaces() {
    let coupons = [
        Coupon {
            code: "Spring-Sale".to_owned(),
            ..coupon(CouponDiscount::Percent(10))
        },
        Coupon {
            code: "ÉTÉ".to_owned(),
            ..coupon(CouponDiscount::Percent(20))
        },
    ];
    let cases: &[(&str, Option<usize>)] = &[
        ("Spring-Sale", Some(0)),
        ("spring-sale", Some(0)),
        ("  SPRING-SALE \n", Some(0)),
        ("été", Some(1)),
        ("spring sale", None),
        ("spring-sale2", None),
        ("", None),
    ];
    for &(typed, expected) in cases {
        let found = find_coupon(&coupons, typed).map(|found| found.code.as_str());
        assert_eq!(
            found,
            expected.map(|index| coupons[index].code.as_str()),
            "{typed:?}"
        );
    }
}

#[test]
fn coupon_definitions_are_validated() {
    let valid = coupon(CouponDiscount::Percent(10));
    let cases: &[(Coupon, Option<&str>)] = &[
        (valid.clone(), None),
        (coupon(CouponDiscount::Percent(1)), None),
        (coupon(CouponDiscount::Percent(100)), None),
        (coupon(CouponDiscount::FixedCents(1)), None),
        (coupon(CouponDiscount::Percent(0)), Some("percent")),
        (coupon(CouponDiscount::Percent(101)), Some("percent")),
        (coupon(CouponDiscount::FixedCents(0)), Some("fixed_cents")),
        (coupon(CouponDiscount::FixedCents(-5)), Some("fixed_cents")),
        (
            Coupon {
                code: "  ".to_owned(),
                ..valid.clone()
            },
            Some("code"),
        ),
        (
            Coupon {
                min_subtotal_cents: Some(-1),
                ..valid.clone()
            },
            Some("min_subtotal_cents"),
        ),
        (
            Coupon {
                scope: CouponScope::Items(vec![]),
                ..valid.clone()
            },
            Some("scope"),
        ),
        (
            Coupon {
                starts_at: Some(NOW),
                expires_at: Some(NOW),
                ..valid.clone()
            },
            Some("expires_at"),
        ),
    ];
    for (coupon, expected_field) in cases {
        assert_eq!(
            coupon.validate().err().map(|error| error.field),
            *expected_field,
            "{coupon:?}"
        );
    }
}

#[test]
fn misconfigured_coupon_is_refused_instead_of_priced() {
    let lines = [digital("ebook", 1000, 1)];
    let coupon = coupon(CouponDiscount::Percent(150));
    let tax = no_tax();
    let result = price_cart(&with_coupon(input(&lines, &tax), &coupon));
    assert!(matches!(
        result,
        Err(PricingError::InvalidDefinition(DefinitionError {
            field: "percent",
            ..
        }))
    ));
}

#[test]
fn coupon_rejections_have_codes_and_messages() {
    let cases = [
        (CouponRejection::NotStarted, "not_started", "not valid yet"),
        (CouponRejection::Expired, "expired", "has expired"),
        (CouponRejection::UsedUp, "used_up", "used up"),
        (
            CouponRejection::UsedUpForUser,
            "used_up_for_user",
            "already used",
        ),
        (
            CouponRejection::BelowMinimum {
                min_subtotal_cents: 5005,
            },
            "below_minimum",
            "at least 50.05",
        ),
        (
            CouponRejection::NotApplicable,
            "not_applicable",
            "does not apply",
        ),
    ];
    for (reason, code, message_part) in cases {
        assert_eq!(reason.code(), code);
        assert!(
            reason.to_string().contains(message_part),
            "{reason}: {message_part}"
        );
        let json = serde_json::to_value(&reason).unwrap();
        assert_eq!(json["code"], code);
        assert_eq!(json["message"], reason.to_string());
    }
    let json = serde_json::to_value(CouponRejection::BelowMinimum {
        min_subtotal_cents: 5000,
    })
    .unwrap();
    assert_eq!(json["min_subtotal_cents"], 5000);
}

#[test]
fn exclusive_and_inclusive_tax_follow_the_documented_formulas() {
    // (prices include tax, rate bps, line amount, expected tax, expected total)
    let cases: &[(bool, u32, i64, i64, i64)] = &[
        (false, 0, 1000, 0, 1000),
        (false, 1900, 1000, 190, 1190),
        (false, 1900, 999, 190, 1189), // 189.81
        (false, 2000, 1, 0, 1),        // 0.2
        (false, 5000, 1, 1, 2),        // 0.5 rounds up
        (false, 825, 1999, 165, 2164), // 164.9175
        (false, 10_000, 1234, 1234, 2468),
        (true, 0, 1000, 0, 1000),
        (true, 1900, 1190, 190, 1190),
        (true, 1900, 1000, 160, 1000), // net 840.34
        (true, 700, 107, 7, 107),
        (true, 2000, 1, 0, 1),          // net 0.83 -> 1
        (true, 10_000, 3, 1, 3),        // net 1.5 -> 2
        (true, 2100, 9999, 1735, 9999), // net 8263.64
    ];
    for &(prices_include_tax, rate_bps, amount, expected_tax, expected_total) in cases {
        let tax = TaxSettings {
            prices_include_tax,
            default_rate_bps: rate_bps,
            ..TaxSettings::default()
        };
        let lines = [digital("ebook", amount, 1)];
        let cart = price_cart(&input(&lines, &tax)).unwrap();
        let case = format!("inclusive={prices_include_tax} rate={rate_bps} amount={amount}");
        assert_eq!(cart.tax_cents, expected_tax, "{case}");
        assert_eq!(cart.total_cents, expected_total, "{case}");
        assert_eq!(cart.lines[0].tax_rate_bps, rate_bps, "{case}");
        assert_consistent(&cart);
    }
}

#[test]
fn tax_is_computed_per_line_on_the_discounted_amount() {
    let lines = [
        digital("a", 333, 1),
        digital("b", 333, 1),
        digital("c", 333, 1),
    ];
    let coupon = coupon(CouponDiscount::Percent(10));
    let cases: &[(TaxSettings, i64, i64)] = &[
        // 300 × 19 % = 57 per line.
        (exclusive_tax(1900), 171, 900 + 171),
        // 300 − round(300 / 1.19 = 252.10) = 48 per line.
        (inclusive_tax(1900), 144, 900),
    ];
    for (tax, expected_tax, expected_total) in cases {
        let cart = price_cart(&with_coupon(input(&lines, tax), &coupon)).unwrap();
        assert_eq!(cart.discount_cents, 99);
        assert_eq!(cart.tax_cents, *expected_tax);
        assert_eq!(cart.total_cents, *expected_total);
        assert_consistent(&cart);
    }
}

#[test]
fn tax_rate_depends_on_country_and_on_digital_or_physical_goods() {
    let mut countries = BTreeMap::new();
    countries.insert(
        "DE".to_owned(),
        CountryTaxRate {
            rate_bps: 1900,
            digital_rate_bps: None,
        },
    );
    countries.insert(
        "fr".to_owned(),
        CountryTaxRate {
            rate_bps: 2000,
            digital_rate_bps: Some(550),
        },
    );
    let with_digital_default = TaxSettings {
        prices_include_tax: false,
        default_rate_bps: 800,
        default_digital_rate_bps: Some(0),
        countries: countries.clone(),
        eu_vat: Default::default(),
    };
    let without_digital_default = TaxSettings {
        default_digital_rate_bps: None,
        ..with_digital_default.clone()
    };
    let cases: &[(&TaxSettings, Option<&str>, ItemKind, u32)] = &[
        (
            &with_digital_default,
            Some("DE"),
            ItemKind::PhysicalProduct,
            1900,
        ),
        (
            &with_digital_default,
            Some("DE"),
            ItemKind::DigitalProduct,
            1900,
        ),
        (&with_digital_default, Some("de"), ItemKind::Course, 1900),
        (
            &with_digital_default,
            Some("FR"),
            ItemKind::PhysicalProduct,
            2000,
        ),
        (
            &with_digital_default,
            Some("FR"),
            ItemKind::DigitalProduct,
            550,
        ),
        (&with_digital_default, Some(" fr "), ItemKind::Course, 550),
        (
            &with_digital_default,
            Some("US"),
            ItemKind::PhysicalProduct,
            800,
        ),
        (
            &with_digital_default,
            Some("US"),
            ItemKind::DigitalProduct,
            0,
        ),
        (&with_digital_default, Some("US"), ItemKind::Course, 0),
        (&with_digital_default, None, ItemKind::PhysicalProduct, 800),
        (&with_digital_default, None, ItemKind::Course, 0),
        (&without_digital_default, Some("US"), ItemKind::Course, 800),
        (
            &without_digital_default,
            None,
            ItemKind::DigitalProduct,
            800,
        ),
    ];
    for &(settings, country, kind, expected) in cases {
        assert_eq!(
            settings.rate_bps_for(country, kind),
            expected,
            "{country:?} {kind:?}"
        );
    }

    let lines = [
        physical("mug", 1000, 1),
        digital("ebook", 1000, 1),
        course("rust-101", 1000),
    ];
    let shipping = [method("post", ShippingRate::Flat { cents: 0 }, &[])];
    let cart = price_cart(&PricingInput {
        country: Some("FR"),
        shipping_methods: &shipping,
        shipping_method_id: Some("post"),
        ..input(&lines, &with_digital_default)
    })
    .unwrap();
    let rates: Vec<u32> = cart.lines.iter().map(|line| line.tax_rate_bps).collect();
    assert_eq!(rates, [2000, 550, 550]);
    assert_eq!(cart.tax_cents, 200 + 55 + 55);
    assert_consistent(&cart);
}

#[test]
fn tax_settings_are_validated() {
    let country = |code: &str, rate_bps: u32, digital_rate_bps: Option<u32>| TaxSettings {
        countries: BTreeMap::from([(
            code.to_owned(),
            CountryTaxRate {
                rate_bps,
                digital_rate_bps,
            },
        )]),
        ..TaxSettings::default()
    };
    let cases: &[(TaxSettings, Option<&str>)] = &[
        (TaxSettings::default(), None),
        (exclusive_tax(10_000), None),
        (exclusive_tax(10_001), Some("default_rate_bps")),
        (
            TaxSettings {
                default_digital_rate_bps: Some(190_000),
                ..TaxSettings::default()
            },
            Some("default_digital_rate_bps"),
        ),
        (country("DE", 1900, Some(700)), None),
        (country("DEU", 1900, None), Some("countries")),
        (country("D1", 1900, None), Some("countries")),
        (country("DE", 19_000, None), Some("rate_bps")),
        (country("DE", 1900, Some(70_000)), Some("digital_rate_bps")),
    ];
    for (settings, expected_field) in cases {
        assert_eq!(
            settings.validate().err().map(|error| error.field),
            *expected_field,
            "{settings:?}"
        );
    }
    let lines = [digital("ebook", 100, 1)];
    let broken = exclusive_tax(190_000);
    assert!(matches!(
        price_cart(&input(&lines, &broken)),
        Err(PricingError::InvalidDefinition(_))
    ));
}

#[test]
fn shipping_is_charged_by_method_kind_and_threshold() {
    let flat = method("flat", ShippingRate::Flat { cents: 495 }, &[]);
    let per_item = method("per-item", ShippingRate::PerItem { cents: 200 }, &[]);
    let free_over = method(
        "free-over",
        ShippingRate::FreeOver {
            threshold_cents: 5000,
            otherwise_cents: 695,
        },
        &[],
    );
    let methods = [flat, per_item, free_over];
    // (method, lines, coupon percent, expected shipping)
    let cases: &[(&str, Vec<CartLine>, Option<u32>, i64)] = &[
        ("flat", vec![physical("mug", 1000, 1)], None, 495),
        ("flat", vec![physical("mug", 1000, 7)], None, 495),
        ("per-item", vec![physical("mug", 1000, 1)], None, 200),
        (
            "per-item",
            vec![physical("mug", 1000, 3), physical("cap", 500, 2)],
            None,
            1000,
        ),
        // Digital units are not shipped, so they are not counted.
        (
            "per-item",
            vec![physical("mug", 1000, 1), digital("ebook", 500, 4)],
            None,
            200,
        ),
        ("free-over", vec![physical("mug", 4999, 1)], None, 695),
        ("free-over", vec![physical("mug", 5000, 1)], None, 0),
        ("free-over", vec![physical("mug", 2500, 3)], None, 0),
        // The threshold counts the whole cart, courses included...
        (
            "free-over",
            vec![physical("mug", 1000, 1), course("rust-101", 4000)],
            None,
            0,
        ),
        // ...after the discount: 6000 − 20 % = 4800 is below 5000.
        ("free-over", vec![physical("mug", 6000, 1)], Some(20), 695),
        ("free-over", vec![physical("mug", 6250, 1)], Some(20), 0),
    ];
    let tax = exclusive_tax(1900);
    for (method_id, lines, percent, expected) in cases {
        let coupon = percent.map(|percent| coupon(CouponDiscount::Percent(percent)));
        let base = PricingInput {
            shipping_methods: &methods,
            shipping_method_id: Some(method_id),
            ..input(lines, &tax)
        };
        let priced = match &coupon {
            Some(coupon) => price_cart(&with_coupon(base, coupon)),
            None => price_cart(&base),
        };
        let cart = priced.unwrap();
        assert_eq!(cart.shipping_cents, *expected, "{method_id} {lines:?}");
        assert_eq!(cart.shipping_method_id.as_deref(), Some(*method_id));
        assert_consistent(&cart);
    }
}

#[test]
fn shipping_is_not_taxed() {
    let lines = [physical("mug", 1000, 1)];
    let methods = [method("flat", ShippingRate::Flat { cents: 500 }, &[])];
    for tax in [exclusive_tax(2000), inclusive_tax(2000)] {
        let cart = price_cart(&PricingInput {
            shipping_methods: &methods,
            shipping_method_id: Some("flat"),
            ..input(&lines, &tax)
        })
        .unwrap();
        let expected_tax = if tax.prices_include_tax { 167 } else { 200 };
        assert_eq!(cart.tax_cents, expected_tax);
        assert_eq!(cart.shipping_cents, 500);
        assert_consistent(&cart);
    }
}

#[test]
fn shipping_choice_is_checked_only_when_physical_items_are_present() {
    let eu_only = method("eu", ShippingRate::Flat { cents: 500 }, &["DE", "fr", "AT"]);
    let anywhere = method("world", ShippingRate::Flat { cents: 2500 }, &[]);
    let methods = [eu_only, anywhere];
    let mug = vec![physical("mug", 1000, 1)];
    let ebook = vec![digital("ebook", 1000, 1)];
    // (lines, country, method, expected shipping or error)
    type Case<'a> = (
        &'a [CartLine],
        Option<&'a str>,
        Option<&'a str>,
        Result<i64, PricingError>,
    );
    let cases: &[Case] = &[
        (&mug, Some("DE"), Some("eu"), Ok(500)),
        (&mug, Some("fr"), Some("eu"), Ok(500)),
        (&mug, Some(" at "), Some("eu"), Ok(500)),
        (&mug, Some("US"), Some("world"), Ok(2500)),
        (&mug, Some("DE"), Some("world"), Ok(2500)),
        (
            &mug,
            Some("us"),
            Some("eu"),
            Err(PricingError::ShippingNotAvailableForCountry {
                method_id: "eu".into(),
                country: "US".into(),
            }),
        ),
        (
            &mug,
            Some("DE"),
            None,
            Err(PricingError::ShippingMethodRequired),
        ),
        (
            &mug,
            Some("DE"),
            Some("EU"),
            Err(PricingError::UnknownShippingMethod {
                method_id: "EU".into(),
            }),
        ),
        (
            &mug,
            None,
            Some("world"),
            Err(PricingError::ShippingCountryRequired),
        ),
        (
            &mug,
            Some("  "),
            Some("eu"),
            Err(PricingError::ShippingCountryRequired),
        ),
        // Nothing to ship: no method, no country needed, a stale choice is ignored.
        (&ebook, None, None, Ok(0)),
        (&ebook, Some("US"), Some("eu"), Ok(0)),
        (&ebook, None, Some("gone"), Ok(0)),
    ];
    let tax = no_tax();
    for (lines, country, method_id, expected) in cases {
        let result = price_cart(&PricingInput {
            country: *country,
            shipping_methods: &methods,
            shipping_method_id: *method_id,
            ..input(lines, &tax)
        })
        .map(|cart| cart.shipping_cents);
        assert_eq!(&result, expected, "{country:?} {method_id:?}");
    }
}

#[test]
fn shipping_methods_are_listed_per_country_and_validated() {
    let methods = [
        method("eu", ShippingRate::Flat { cents: 500 }, &["DE", "AT"]),
        method("world", ShippingRate::Flat { cents: 2500 }, &[]),
    ];
    let ids = |country| {
        shipping_methods_for(&methods, country)
            .iter()
            .map(|method| method.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("de"), ["eu", "world"]);
    assert_eq!(ids("US"), ["world"]);

    let cases: &[(ShippingMethod, Option<&str>)] = &[
        (methods[0].clone(), None),
        (method("", ShippingRate::Flat { cents: 1 }, &[]), Some("id")),
        (
            method("x", ShippingRate::Flat { cents: -1 }, &[]),
            Some("cents"),
        ),
        (
            method("x", ShippingRate::PerItem { cents: -1 }, &[]),
            Some("cents"),
        ),
        (
            method(
                "x",
                ShippingRate::FreeOver {
                    threshold_cents: -1,
                    otherwise_cents: 0,
                },
                &[],
            ),
            Some("threshold_cents"),
        ),
        (
            method(
                "x",
                ShippingRate::FreeOver {
                    threshold_cents: 0,
                    otherwise_cents: -1,
                },
                &[],
            ),
            Some("otherwise_cents"),
        ),
        (
            method("x", ShippingRate::Flat { cents: 0 }, &["Germany"]),
            Some("countries"),
        ),
    ];
    for (method, expected_field) in cases {
        assert_eq!(
            method.validate().err().map(|error| error.field),
            *expected_field,
            "{method:?}"
        );
    }
}

#[test]
fn invalid_lines_are_refused() {
    let tax = no_tax();
    let cases = [
        (
            digital("ebook", 100, 0),
            PricingError::InvalidQuantity {
                item_id: "ebook".into(),
            },
        ),
        (
            digital("ebook", -1, 1),
            PricingError::NegativeUnitPrice {
                item_id: "ebook".into(),
            },
        ),
    ];
    for (bad_line, expected) in cases {
        let lines = [digital("fine", 100, 1), bad_line];
        assert_eq!(price_cart(&input(&lines, &tax)), Err(expected));
    }
}

#[test]
fn absurd_amounts_give_an_overflow_error_instead_of_a_panic() {
    let flat = [method("flat", ShippingRate::Flat { cents: i64::MAX }, &[])];
    let per_item = [method(
        "per-item",
        ShippingRate::PerItem {
            cents: i64::MAX / 2,
        },
        &[],
    )];
    let no_shipping: [ShippingMethod; 0] = [];
    type Case<'a> = (
        Vec<CartLine>,
        TaxSettings,
        &'a [ShippingMethod],
        Option<&'a str>,
    );
    let cases: Vec<Case> = vec![
        // One line too large for i64.
        (
            vec![digital("ebook", i64::MAX, 2)],
            no_tax(),
            &no_shipping,
            None,
        ),
        (
            vec![digital("ebook", i64::MAX / 3, u32::MAX)],
            no_tax(),
            &no_shipping,
            None,
        ),
        // Lines that fit alone but not together.
        (
            vec![digital("a", i64::MAX, 1), digital("b", 1, 1)],
            no_tax(),
            &no_shipping,
            None,
        ),
        // Tax pushes the total over.
        (
            vec![digital("ebook", i64::MAX - 10, 1)],
            exclusive_tax(1900),
            &no_shipping,
            None,
        ),
        // Shipping pushes the total over.
        (vec![physical("mug", 1, 1)], no_tax(), &flat, Some("flat")),
        // Per-item shipping overflows on its own.
        (
            vec![physical("mug", 1, 3)],
            no_tax(),
            &per_item,
            Some("per-item"),
        ),
    ];
    for (lines, tax, methods, method_id) in &cases {
        let result = price_cart(&PricingInput {
            shipping_methods: methods,
            shipping_method_id: *method_id,
            ..input(lines, tax)
        });
        assert_eq!(result, Err(PricingError::Overflow), "{lines:?}");
    }
    let lines = [digital("a", i64::MAX, 1)];
    let coupon = coupon(CouponDiscount::Percent(100));
    let tax = inclusive_tax(10_000);
    let cart = price_cart(&with_coupon(input(&lines, &tax), &coupon)).unwrap();
    assert_eq!(cart.total_cents, 0);
    assert_eq!(
        coupon.check(
            &[digital("a", i64::MAX, u32::MAX)],
            CouponUsage::default(),
            NOW
        ),
        Ok(())
    );
}

#[test]
fn mixed_cart_prices_consistently_end_to_end() {
    let lines = [
        physical("mug", 1250, 2),
        digital("ebook", 999, 1),
        course("rust-101", 4900),
    ];
    let coupon = Coupon {
        scope: CouponScope::Products,
        ..coupon(CouponDiscount::FixedCents(500))
    };
    let tax = TaxSettings {
        prices_include_tax: false,
        default_rate_bps: 1900,
        default_digital_rate_bps: Some(700),
        countries: BTreeMap::new(),
        eu_vat: Default::default(),
    };
    let methods = [method(
        "standard",
        ShippingRate::FreeOver {
            threshold_cents: 10_000,
            otherwise_cents: 495,
        },
        &[],
    )];
    let cart = price_cart(&with_coupon(
        PricingInput {
            shipping_methods: &methods,
            shipping_method_id: Some("standard"),
            ..input(&lines, &tax)
        },
        &coupon,
    ))
    .unwrap();
    // 500 over 2500 and 999: exact shares 357.24 and 142.76.
    assert_eq!(discounts(&cart), [357, 143, 0]);
    // Taxes: (2500−357)×19 % = 407.17, (999−143)×7 % = 59.92, 4900×7 % = 343.
    let taxes: Vec<i64> = cart.lines.iter().map(|line| line.tax_cents).collect();
    assert_eq!(taxes, [407, 60, 343]);
    assert_eq!(cart.subtotal_cents, 8399);
    assert_eq!(cart.discount_cents, 500);
    assert_eq!(cart.tax_cents, 810);
    assert_eq!(cart.shipping_cents, 495);
    assert_eq!(cart.total_cents, 8399 - 500 + 810 + 495);
    assert_consistent(&cart);
}

#[test]
fn many_carts_keep_the_invariants() {
    let methods = [
        method("flat", ShippingRate::Flat { cents: 495 }, &[]),
        method("per-item", ShippingRate::PerItem { cents: 99 }, &[]),
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = |bound: u64| {
        // Small deterministic LCG so the test is reproducible.
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % bound
    };
    for _ in 0..500 {
        let count = next(5) as usize;
        let lines: Vec<CartLine> = (0..count)
            .map(|index| {
                let kind = match next(3) {
                    0 => ItemKind::PhysicalProduct,
                    1 => ItemKind::DigitalProduct,
                    _ => ItemKind::Course,
                };
                line(
                    kind,
                    &format!("item-{index}"),
                    next(20_000) as i64,
                    1 + next(5) as u32,
                )
            })
            .collect();
        let tax = TaxSettings {
            prices_include_tax: next(2) == 0,
            default_rate_bps: next(3000) as u32,
            default_digital_rate_bps: Some(next(3000) as u32),
            countries: BTreeMap::new(),
            eu_vat: Default::default(),
        };
        let discount = if next(2) == 0 {
            CouponDiscount::Percent(1 + next(100) as u32)
        } else {
            CouponDiscount::FixedCents(1 + next(50_000) as i64)
        };
        let coupon = coupon(discount);
        let base = PricingInput {
            shipping_methods: &methods,
            shipping_method_id: Some(if next(2) == 0 { "flat" } else { "per-item" }),
            ..input(&lines, &tax)
        };
        match price_cart(&with_coupon(base, &coupon)) {
            Ok(cart) => assert_consistent(&cart),
            Err(error) => assert_eq!(
                error,
                PricingError::CouponRejected(CouponRejection::NotApplicable),
                "{lines:?}"
            ),
        }
    }
}

#[test]
fn config_types_deserialize_from_their_documented_shape() {
    let coupons: Vec<Coupon> = serde_json::from_str(
        r#"[
            {"code": "SPRING", "percent": 10},
            {"code": "TENOFF", "fixed_cents": 1000, "min_subtotal_cents": 5000,
             "scope": "courses", "starts_at": "2026-03-01T00:00:00Z",
             "expires_at": "2026-06-01T00:00:00+02:00",
             "max_redemptions": 100, "max_redemptions_per_user": 1},
            {"code": "MUG", "percent": 50, "scope": {"items": ["mug"]}}
        ]"#,
    )
    .unwrap();
    assert_eq!(
        coupons[0],
        coupon_named("SPRING", CouponDiscount::Percent(10))
    );
    assert_eq!(
        coupons[1],
        Coupon {
            min_subtotal_cents: Some(5000),
            scope: CouponScope::Courses,
            starts_at: Some(datetime!(2026-03-01 00:00 UTC)),
            expires_at: Some(datetime!(2026-06-01 00:00 +2)),
            max_redemptions: Some(100),
            max_redemptions_per_user: Some(1),
            ..coupon_named("TENOFF", CouponDiscount::FixedCents(1000))
        }
    );
    assert_eq!(coupons[2].scope, CouponScope::Items(vec!["mug".into()]));
    for coupon in &coupons {
        let round_trip: Coupon =
            serde_json::from_value(serde_json::to_value(coupon).unwrap()).unwrap();
        assert_eq!(&round_trip, coupon);
    }

    let methods: Vec<ShippingMethod> = serde_json::from_str(
        r#"[
            {"id": "standard", "name": "Standard", "kind": "flat", "cents": 495},
            {"id": "parcel", "name": "Parcel", "kind": "per_item", "cents": 150,
             "countries": ["DE", "AT"]},
            {"id": "free", "name": "Free over 50", "kind": "free_over",
             "threshold_cents": 5000, "otherwise_cents": 695}
        ]"#,
    )
    .unwrap();
    assert_eq!(methods[0].rate, ShippingRate::Flat { cents: 495 });
    assert_eq!(methods[1].rate, ShippingRate::PerItem { cents: 150 });
    assert_eq!(methods[1].countries, ["DE", "AT"]);
    assert_eq!(
        methods[2].rate,
        ShippingRate::FreeOver {
            threshold_cents: 5000,
            otherwise_cents: 695
        }
    );

    let tax: TaxSettings = serde_json::from_str(
        r#"{"prices_include_tax": true, "default_rate_bps": 1900,
            "countries": {"AT": {"rate_bps": 2000, "digital_rate_bps": 1000}}}"#,
    )
    .unwrap();
    assert!(tax.prices_include_tax);
    assert_eq!(tax.rate_bps_for(Some("at"), ItemKind::Course), 1000);
    assert_eq!(
        serde_json::from_str::<TaxSettings>("{}").unwrap(),
        TaxSettings::default()
    );

    let invalid = [
        r#"{"code": "X"}"#,
        r#"{"code": "X", "percent": -1}"#,
        r#"{"code": "X", "percent": 10, "starts_at": "tomorrow"}"#,
    ];
    for json in invalid {
        assert!(serde_json::from_str::<Coupon>(json).is_err(), "{json}");
    }
}

fn coupon_named(code: &str, discount: CouponDiscount) -> Coupon {
    Coupon {
        code: code.to_owned(),
        ..coupon(discount)
    }
}

#[test]
fn priced_cart_serializes_for_the_cart_view() {
    let lines = [course("rust-101", 4900)];
    let tax = exclusive_tax(1000);
    let cart = price_cart(&input(&lines, &tax)).unwrap();
    let json = serde_json::to_value(&cart).unwrap();
    assert_eq!(json["total_cents"], 5390);
    assert_eq!(json["lines"][0]["kind"], "course");
    assert_eq!(json["lines"][0]["tax_rate_bps"], 1000);
}

#[test]
fn pricing_errors_have_codes_and_messages() {
    let cases = [
        (
            PricingError::ShippingMethodRequired,
            "shipping_method_required",
        ),
        (
            PricingError::ShippingCountryRequired,
            "shipping_country_required",
        ),
        (
            PricingError::UnknownShippingMethod {
                method_id: "x".into(),
            },
            "unknown_shipping_method",
        ),
        (
            PricingError::ShippingNotAvailableForCountry {
                method_id: "eu".into(),
                country: "US".into(),
            },
            "shipping_not_available_for_country",
        ),
        (PricingError::Overflow, "overflow"),
        (
            PricingError::CouponRejected(CouponRejection::Expired),
            "coupon_rejected",
        ),
    ];
    for (error, code) in cases {
        assert_eq!(error.code(), code);
        assert!(!error.to_string().is_empty());
    }
    assert_eq!(
        PricingError::ShippingNotAvailableForCountry {
            method_id: "eu".into(),
            country: "US".into()
        }
        .to_string(),
        "shipping method \"eu\" does not ship to US"
    );
    assert_eq!(
        PricingError::CouponRejected(CouponRejection::Expired).to_string(),
        "this coupon has expired"
    );
}

#[test]
fn a_bundle_including_physical_goods_ships_them_and_needs_a_method() {
    let bundle = CartLine {
        shipped_units: 2,
        ..line(ItemKind::Bundle, "path", 9000, 1)
    };
    let methods = vec![ShippingMethod {
        id: "per-item".into(),
        name: "Per item".into(),
        rate: ShippingRate::PerItem { cents: 200 },
        countries: Vec::new(),
    }];
    let tax = no_tax();
    let input = PricingInput {
        lines: std::slice::from_ref(&bundle),
        coupon: None,
        tax: &tax,
        country: Some("US"),
        shipping_methods: &methods,
        shipping_method_id: None,
    };
    assert_eq!(
        price_cart(&input).unwrap_err(),
        PricingError::ShippingMethodRequired
    );
    let priced = price_cart(&PricingInput {
        shipping_method_id: Some("per-item"),
        ..input
    })
    .unwrap();
    assert_eq!(priced.shipping_cents, 400, "two units shipped");
}
