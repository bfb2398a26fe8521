use super::*;

fn eu() -> EuVatConfig {
    EuVatConfig {
        enabled: true,
        home_country: "DE".into(),
        ..EuVatConfig::default()
    }
}

fn line(id: &str, rate_bps: i64, total_cents: i64, tax_cents: i64) -> TaxLine {
    TaxLine {
        item_id: id.into(),
        rate_bps,
        total_cents,
        tax_cents,
    }
}

fn order(country: &str, lines: Vec<TaxLine>, shipping_cents: i64) -> OrderTax {
    OrderTax {
        order_id: format!("o-{country}"),
        country: country.into(),
        reverse_charge: false,
        scheme: None,
        shipping_cents,
        lines,
    }
}

#[test]
fn tax_per_rate_is_the_sum_of_the_lines_tax_never_re_rounded() {
    // Three lines of 1.00 gross at 19 % included: 16 cents each (0.1597 rounded), 48 in
    // all, where re-rounding the total (3.00 → 0.479) would say 48 too but 5 lines say 80
    // against 79.8 → 80; the row keeps the sum of what each order stored.
    let lines = (0..5)
        .map(|i| line(&format!("l{i}"), 1900, 100, 16))
        .collect();
    let rows = build_rows(&eu(), &[order("DE", lines, 0)], &[], &[]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].sales_cents, 500);
    assert_eq!(rows[0].sales_tax_cents, 80);
    assert_eq!(rows[0].sales_taxable_cents, 420);
}

#[test]
fn rows_are_split_by_country_scheme_and_rate_and_sum_to_the_orders() {
    let sales = [
        order(
            "FR",
            vec![line("a", 2000, 1200, 200), line("b", 0, 500, 0)],
            0,
        ),
        order("DE", vec![line("c", 1900, 119, 19)], 495),
        order("US", vec![line("d", 0, 1000, 0)], 0),
    ];
    let rows = build_rows(&eu(), &sales, &[], &[]);
    let find = |country: &str, kind: &str, rate: i64| {
        rows.iter()
            .find(|r| r.country == country && r.kind == kind && r.rate_bps == rate)
            .unwrap()
            .clone()
    };
    assert_eq!(find("FR", "goods", 2000).scheme, "oss");
    assert_eq!(find("DE", "goods", 1900).scheme, "domestic");
    assert_eq!(find("DE", "shipping", 0).sales_cents, 495);
    assert_eq!(find("US", "goods", 0).scheme, "outside_eu");
    let total: i64 = rows.iter().map(|r| r.sales_cents).sum();
    assert_eq!(total, 1200 + 500 + 119 + 495 + 1000);
}

#[test]
fn a_full_refund_gives_back_exactly_the_tax_charged() {
    let sold = order(
        "FR",
        vec![line("a", 2000, 1199, 200), line("b", 550, 333, 17)],
        0,
    );
    let refund = RefundTax {
        amount_cents: 1532,
        item_ids: Vec::new(),
        order: sold.clone(),
    };
    let rows = build_rows(&eu(), &[sold], &[], &[refund]);
    for row in &rows {
        assert_eq!(row.refunds_cents, row.sales_cents);
        assert_eq!(row.refunds_tax_cents, row.sales_tax_cents);
        assert_eq!(row.tax_due_cents, 0);
    }
}

#[test]
fn a_partial_refund_is_shared_in_proportion_and_sums_to_the_refund() {
    let sold = order(
        "FR",
        vec![line("a", 2000, 1000, 167), line("b", 2000, 2000, 333)],
        500,
    );
    let refund = RefundTax {
        amount_cents: 1001,
        item_ids: Vec::new(),
        order: sold,
    };
    let parts = split_refund(&refund);
    assert_eq!(parts.iter().map(|p| p.1).sum::<i64>(), 1001);
    // 1001 over 1000 / 2000 / 500: 286, 572, 143.
    assert_eq!(parts[0], (Some(0), 286, 48));
    assert_eq!(parts[1], (Some(1), 572, 95));
    assert_eq!(parts[2], (None, 143, 0));
}

#[test]
fn a_refund_naming_lines_never_reaches_the_other_lines() {
    let sold = order(
        "FR",
        vec![line("a", 2000, 1200, 200), line("b", 550, 1055, 55)],
        0,
    );
    let refund = RefundTax {
        amount_cents: 600,
        item_ids: vec!["a".into()],
        order: sold,
    };
    assert_eq!(split_refund(&refund), vec![(Some(0), 600, 100)]);
}

#[test]
fn the_oss_return_holds_only_consumers_in_other_member_states_net_of_refunds() {
    let fr = order("FR", vec![line("a", 2000, 1200, 200)], 0);
    let mut rc = order("AT", vec![line("r", 0, 1000, 0)], 0);
    rc.reverse_charge = true;
    let sales = [
        fr.clone(),
        order("DE", vec![line("c", 1900, 119, 19)], 0),
        rc,
    ];
    let refund = RefundTax {
        amount_cents: 600,
        item_ids: Vec::new(),
        order: fr,
    };
    let oss = oss_lines(&build_rows(&eu(), &sales, &[], &[refund]));
    assert_eq!(
        oss,
        vec![OssLine {
            country: "FR".into(),
            rate_bps: 2000,
            taxable_cents: 1000 - 500,
            vat_cents: 200 - 100,
        }]
    );
}

#[test]
fn credit_notes_count_line_by_line_as_printed_and_the_rows_are_invoices_minus_credit_notes() {
    let invoice = order(
        "FR",
        vec![line("a", 2000, 1200, 200), line("b", 550, 1055, 55)],
        300,
    );
    // As printed: 600 of line a with 100 tax, 50 of the shipping.
    let mut note = order("FR", vec![line("a", 2000, 600, 100)], 50);
    note.order_id = invoice.order_id.clone();
    let rows = build_rows(&eu(), &[invoice], &[note], &[]);
    let find = |kind: &str, rate: i64| {
        rows.iter()
            .find(|r| r.kind == kind && r.rate_bps == rate)
            .unwrap()
            .clone()
    };
    let a = find("goods", 2000);
    assert_eq!((a.refunds_cents, a.refunds_tax_cents), (600, 100));
    assert_eq!(
        (a.net_taxable_cents, a.tax_due_cents),
        (1000 - 500, 200 - 100)
    );
    let b = find("goods", 550);
    assert_eq!((b.refunds_cents, b.tax_due_cents), (0, 55));
    let shipping = find("shipping", 0);
    assert_eq!((shipping.sales_cents, shipping.refunds_cents), (300, 50));
}

#[test]
fn a_sale_cancelled_in_the_same_quarter_leaves_no_line_in_the_oss_return() {
    let it = order("IT", vec![line("g", 2200, 5000, 902)], 0);
    let note = it.clone();
    let rows = build_rows(&eu(), &[it], &[note], &[]);
    assert_eq!(
        rows.len(),
        1,
        "the tax report still shows the sale and its credit"
    );
    assert_eq!((rows[0].sales_cents, rows[0].refunds_cents), (5000, 5000));
    assert!(oss_lines(&rows).is_empty());
}
