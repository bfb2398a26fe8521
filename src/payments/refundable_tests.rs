use super::*;

fn line(id: &str, subtotal: i64, discount: i64, tax: i64) -> PaidLine {
    PaidLine {
        id: id.into(),
        physical: false,
        subtotal_cents: subtotal,
        discount_cents: discount,
        tax_cents: tax,
        taken: false,
        eligible: true,
    }
}

fn physical(id: &str, subtotal: i64) -> PaidLine {
    PaidLine {
        physical: true,
        ..line(id, subtotal, 0, 0)
    }
}

fn order(lines: Vec<PaidLine>, shipping: i64) -> PaidOrder {
    let mut order = PaidOrder {
        lines,
        prices_include_tax: false,
        shipping_cents: shipping,
        captured_cents: 0,
        committed_cents: 0,
    };
    let (shares, shipping) = paid_shares(&PaidOrder {
        captured_cents: i64::MAX,
        ..order.clone()
    });
    order.captured_cents = shares.iter().sum::<i64>() + shipping;
    order
}

fn ids(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn cents(order: &PaidOrder, ask: Ask<'_>) -> i64 {
    refundable_cents(order, ask).unwrap().cents
}

#[test]
fn an_items_share_is_its_line_after_its_discount_share_plus_its_tax() {
    // 10 % coupon on 700 and 2900, 19 % tax on the discounted amounts.
    let paid = order(
        vec![line("pdf", 700, 70, 120), line("course", 2900, 290, 496)],
        0,
    );
    assert_eq!(paid.captured_cents, 630 + 120 + 2610 + 496);
    assert_eq!(cents(&paid, Ask::Items(&ids(&["pdf"]))), 750);
    assert_eq!(cents(&paid, Ask::Items(&ids(&["course"]))), 3106);
    assert_eq!(cents(&paid, Ask::Everything), 3856);
}

#[test]
fn tax_included_in_prices_is_not_added_again() {
    let mut paid = order(vec![line("course", 2900, 0, 463)], 0);
    paid.prices_include_tax = true;
    paid.captured_cents = 2900;
    assert_eq!(cents(&paid, Ask::Everything), 2900);
}

#[test]
fn a_request_naming_items_may_ask_at_most_what_they_paid() {
    // Issue 23: the PDF (downloaded) and the course; naming the course gives 2900, not 3600.
    let mut pdf = line("pdf", 700, 0, 0);
    pdf.eligible = false;
    let paid = order(vec![pdf, line("course", 2900, 0, 0)], 0);
    let refundable = refundable_cents(&paid, Ask::Items(&ids(&["course"]))).unwrap();
    assert_eq!(
        refundable,
        Refundable {
            item_ids: ids(&["course"]),
            items_cents: 2900,
            shipping_cents: 0,
            cents: 2900,
        }
    );
    // Repeating an id does not count it twice.
    assert_eq!(cents(&paid, Ask::Items(&ids(&["course", "course"]))), 2900);
    // Naming the ineligible PDF still prices it (eligibility decides the status, not this).
    assert_eq!(cents(&paid, Ask::Items(&ids(&["pdf", "course"]))), 3600);
}

#[test]
fn a_request_without_items_covers_only_the_eligible_items_left() {
    let mut pdf = line("pdf", 700, 0, 0);
    pdf.eligible = false;
    let paid = order(
        vec![pdf, line("course", 2900, 0, 0), line("ebook", 1200, 0, 0)],
        0,
    );
    let refundable = refundable_cents(&paid, Ask::Eligible).unwrap();
    assert_eq!(refundable.item_ids, ids(&["course", "ebook"]));
    assert_eq!(refundable.cents, 4100);
    let mut nothing = paid.clone();
    nothing.lines.iter_mut().for_each(|l| l.eligible = false);
    let refundable = refundable_cents(&nothing, Ask::Eligible).unwrap();
    assert_eq!((refundable.item_ids.len(), refundable.cents), (0, 0));
}

#[test]
fn shipping_goes_back_only_with_the_last_physical_item() {
    // (items asked, items already refunded, expected shipping share)
    let cases: &[(&[&str], &[&str], i64)] = &[
        (&["mug"], &[], 0),
        (&["mug", "poster"], &[], 500),
        (&["poster"], &["mug"], 500),
        (&["course"], &["mug"], 0),
        (&["course"], &["mug", "poster"], 0),
        (&["mug", "course"], &[], 0),
    ];
    for (asked, taken, shipping) in cases {
        let mut paid = order(
            vec![
                physical("mug", 1500),
                physical("poster", 800),
                line("course", 2900, 0, 0),
            ],
            500,
        );
        for l in &mut paid.lines {
            l.taken = taken.contains(&l.id.as_str());
        }
        let refundable = refundable_cents(&paid, Ask::Items(&ids(asked))).unwrap();
        assert_eq!(
            refundable.shipping_cents, *shipping,
            "{asked:?} after {taken:?}"
        );
        assert_eq!(
            refundable.cents,
            refundable.items_cents + shipping,
            "{asked:?}"
        );
    }
}

#[test]
fn a_cancellation_covers_every_item_left_and_the_shipping() {
    let mut paid = order(
        vec![
            line("pdf", 700, 0, 0),
            physical("mug", 1500),
            line("course", 2900, 0, 0),
        ],
        500,
    );
    assert_eq!(cents(&paid, Ask::Everything), 5600);
    paid.lines[0].taken = true;
    paid.committed_cents = 700;
    let refundable = refundable_cents(&paid, Ask::Everything).unwrap();
    assert_eq!(refundable.item_ids, ids(&["mug", "course"]));
    assert_eq!(refundable.cents, 4900);
}

#[test]
fn unknown_items_items_already_refunded_and_empty_lists_are_refused() {
    let mut paid = order(vec![line("pdf", 700, 0, 0), line("course", 2900, 0, 0)], 0);
    paid.lines[0].taken = true;
    let cases: &[(&[&str], NotRefundable)] = &[
        (&[], NotRefundable::NoItems),
        (&["nope"], NotRefundable::UnknownItem("nope".into())),
        (
            &["course", "nope"],
            NotRefundable::UnknownItem("nope".into()),
        ),
        (&["pdf"], NotRefundable::AlreadyRefunded("pdf".into())),
    ];
    for (asked, expected) in cases {
        assert_eq!(
            refundable_cents(&paid, Ask::Items(&ids(asked))),
            Err(expected.clone()),
            "{asked:?}"
        );
    }
}

#[test]
fn what_is_already_promised_back_caps_a_partial_refund() {
    let mut paid = order(vec![line("pdf", 700, 0, 0), line("course", 2900, 0, 0)], 0);
    // An earlier refund of 500 on the PDF (a partial refund): the course keeps its 2900.
    paid.lines[0].taken = true;
    paid.committed_cents = 500;
    assert_eq!(cents(&paid, Ask::Items(&ids(&["course"]))), 2900);
    // Money promised beyond the PDF's share (older refunds by amount alone) is taken off.
    paid.committed_cents = 1000;
    assert_eq!(cents(&paid, Ask::Items(&ids(&["course"]))), 2600);
    paid.committed_cents = 5000;
    assert_eq!(cents(&paid, Ask::Items(&ids(&["course"]))), 0);
}

#[test]
fn a_short_capture_is_shared_by_largest_remainder() {
    // Three lines of 333 and 1 shipping, 500 captured: 500 × 333 / 1000 = 166.5 each,
    // shipping 0.5; the two cents go to the earliest largest remainders.
    let mut paid = order(
        vec![
            physical("a", 333),
            line("b", 333, 0, 0),
            line("c", 333, 0, 0),
        ],
        1,
    );
    paid.captured_cents = 500;
    assert_eq!(paid_shares(&paid), (vec![167, 167, 166], 0));
    assert_eq!(cents(&paid, Ask::Everything), 500);
}

#[test]
fn refunding_the_items_one_by_one_never_pays_back_more_than_the_whole() {
    let figures: &[(i64, i64, i64)] = &[(333, 33, 63), (1, 0, 0), (2900, 291, 551), (999, 100, 0)];
    for captured_less in [0, 1, 7, 1000, 10_000] {
        for include_tax in [false, true] {
            let mut paid = order(
                figures
                    .iter()
                    .enumerate()
                    .map(|(n, &(s, d, t))| PaidLine {
                        physical: n % 2 == 0,
                        ..line(&format!("l{n}"), s, d, t)
                    })
                    .collect(),
                499,
            );
            paid.prices_include_tax = include_tax;
            let whole = (paid.captured_cents - captured_less).max(0);
            paid.captured_cents = whole;
            let (shares, shipping) = paid_shares(&paid);
            assert!(shares.iter().sum::<i64>() + shipping <= whole);
            // Refund each line in turn, as separate requests.
            let mut paid_back = 0;
            for n in 0..paid.lines.len() {
                let id = vec![paid.lines[n].id.clone()];
                let refundable = refundable_cents(&paid, Ask::Items(&id)).unwrap();
                assert!(refundable.cents >= 0);
                paid_back += refundable.cents;
                paid.committed_cents += refundable.cents;
                paid.lines[n].taken = true;
            }
            assert!(
                paid_back <= whole,
                "{paid_back} > {whole} (less {captured_less}, tax included {include_tax})"
            );
            if captured_less == 0 && !include_tax {
                assert_eq!(paid_back, whole, "every cent captured can go back");
            }
        }
    }
}
