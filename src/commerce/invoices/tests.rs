//! Pure rules of invoices and credit notes: lines and totals per rate, credit allocation and
//! its ceiling, printing of money and rates, and the PDF rendering of long documents.

use super::content::*;
use super::credit::credit_for;

fn item(id: &str, subtotal: i64, discount: i64, rate_bps: i64, include: bool) -> PaidItem {
    let discounted = subtotal - discount;
    let tax = if include {
        discounted - (discounted * 10_000 * 2 + (10_000 + rate_bps)) / (2 * (10_000 + rate_bps))
    } else {
        (discounted * rate_bps * 2 + 10_000) / 20_000
    };
    PaidItem {
        id: id.into(),
        name: format!("item {id}"),
        quantity: 1,
        unit_price_cents: subtotal,
        discount_cents: discount,
        tax_cents: tax,
        tax_rate_bps: rate_bps,
        total_cents: if include {
            discounted
        } else {
            discounted + tax
        },
    }
}

fn sample(include: bool) -> Vec<DocumentLine> {
    let items = [
        item("a", 1999, 200, 1900, include),
        item("b", 333, 33, 700, include),
        item("c", 1000, 0, 1900, include),
        item("d", 4999, 500, 0, include),
    ];
    invoice_lines(&items, 495, Some("Standard"))
}

#[test]
fn invoice_totals_equal_the_sum_of_lines_and_of_the_rates() {
    for include in [false, true] {
        let lines = sample(include);
        let (net, tax, total) = totals(&lines);
        let rates = rate_totals(&lines);
        assert_eq!(rates.iter().map(|r| r.net_cents).sum::<i64>(), net);
        assert_eq!(rates.iter().map(|r| r.tax_cents).sum::<i64>(), tax);
        assert_eq!(rates.iter().map(|r| r.total_cents).sum::<i64>(), total);
        assert_eq!(net + tax, total);
        for line in &lines {
            assert_eq!(
                line.net_cents + line.tax_cents,
                line.total_cents,
                "{line:?}"
            );
        }
        let order_total: i64 = [1999 - 200, 333 - 33, 1000, 4999 - 500].iter().sum::<i64>()
            + if include { 0 } else { tax }
            + 495;
        assert_eq!(total, order_total, "prices include tax: {include}");
    }
}

#[test]
fn rates_are_listed_once_each_lowest_first_with_shipping_untaxed() {
    let rates = rate_totals(&sample(false));
    let listed: Vec<i64> = rates.iter().map(|r| r.tax_rate_bps).collect();
    assert_eq!(listed, vec![0, 700, 1900]);
    // 19 %: 1799 → 342 (341.81), 1000 → 190.
    assert_eq!(rates[2].tax_cents, 342 + 190);
    assert_eq!(rates[0].net_cents, 4499 + 495);
}

#[test]
fn a_full_refund_credits_exactly_the_invoice_with_its_tax_per_rate() {
    let lines = sample(false);
    let (net, tax, total) = totals(&lines);
    let keys: Vec<String> = lines.iter().map(|l| l.key.clone()).collect();
    let credit = credit_for(&lines, &vec![0; lines.len()], &keys, total);
    assert!(!credit.capped);
    assert_eq!(totals(&credit.lines), (net, tax, total));
    assert_eq!(rate_totals(&credit.lines), rate_totals(&lines));
}

#[test]
fn credit_notes_never_exceed_the_invoice_however_the_refunds_fall() {
    let lines = sample(false);
    let (_, invoice_tax, invoice_total) = totals(&lines);
    for step in [1, 7, 99, 250, 1234, 5000] {
        let mut credited = vec![0i64; lines.len()];
        let mut sum = (0, 0);
        for round in 0..40 {
            let named = vec![lines[round % lines.len()].key.clone()];
            let credit = credit_for(&lines, &credited, &named, step);
            for line in &credit.lines {
                let i = lines.iter().position(|l| l.key == line.key).unwrap();
                credited[i] += line.total_cents;
                assert!(
                    credited[i] <= lines[i].total_cents,
                    "line {} over-credited",
                    line.key
                );
                assert!(line.tax_cents >= 0 && line.net_cents >= 0, "{line:?}");
            }
            let (_, tax, total) = totals(&credit.lines);
            sum = (sum.0 + tax, sum.1 + total);
            assert!(
                sum.1 <= invoice_total,
                "step {step}: {} > {invoice_total}",
                sum.1
            );
            assert!(
                sum.0 <= invoice_tax,
                "step {step}: tax {} > {invoice_tax}",
                sum.0
            );
        }
        // Forty rounds of these steps drain the invoice (or come close); once drained, the
        // tax credited is exactly the invoice's.
        if sum.1 == invoice_total {
            assert_eq!(sum.0, invoice_tax, "step {step}");
        }
    }
}

#[test]
fn a_refund_larger_than_what_is_left_is_capped_at_the_invoice() {
    let lines = sample(true);
    let (_, _, total) = totals(&lines);
    let credit = credit_for(&lines, &vec![0; lines.len()], &[], total + 1);
    assert!(credit.capped);
    assert_eq!(totals(&credit.lines).2, total);
    let all: Vec<i64> = lines.iter().map(|l| l.total_cents).collect();
    let nothing_left = credit_for(&lines, &all, &["a".to_string()], 100);
    assert!(nothing_left.capped);
    assert!(nothing_left.lines.is_empty());
}

#[test]
fn a_refund_naming_an_item_credits_that_item_before_shipping_and_other_lines() {
    let lines = sample(false);
    let b = lines.iter().find(|l| l.key == "b").unwrap().clone();
    let credit = credit_for(
        &lines,
        &vec![0; lines.len()],
        &["b".to_string()],
        b.total_cents + 100,
    );
    assert_eq!(credit.lines.len(), 2, "{:?}", credit.lines);
    assert_eq!(credit.lines[0].key, "b");
    assert_eq!(credit.lines[0].total_cents, b.total_cents);
    assert_eq!(credit.lines[0].tax_cents, b.tax_cents);
    assert_eq!(credit.lines[1].key, SHIPPING_KEY);
    assert_eq!(credit.lines[1].total_cents, 100);
    assert_eq!(credit.lines[1].tax_cents, 0);
}

#[test]
fn a_partial_credit_on_a_line_backs_out_tax_rounded_half_up() {
    let lines = invoice_lines(&[item("a", 1000, 0, 1900, false)], 0, None);
    assert_eq!(lines[0].total_cents, 1190);
    // 595 of 1190 is half the line: half of 190 tax.
    let half = credit_for(&lines, &[0], &["a".into()], 595);
    assert_eq!(
        (half.lines[0].net_cents, half.lines[0].tax_cents),
        (500, 95)
    );
    // 1 cent of 1190: 0.16 cents of tax rounds to 0.
    let cent = credit_for(&lines, &[0], &["a".into()], 1);
    assert_eq!((cent.lines[0].net_cents, cent.lines[0].tax_cents), (1, 0));
    // The rest after 1 cent: the tax reaches 190 exactly.
    let rest = credit_for(&lines, &[1], &["a".into()], 1189);
    assert_eq!(rest.lines[0].tax_cents, 190);
}

#[test]
fn cancelling_a_free_order_lists_its_lines_at_zero() {
    let lines = invoice_lines(&[item("a", 0, 0, 1900, false)], 0, None);
    let credit = credit_for(&lines, &[0], &["a".into()], 0);
    assert_eq!(credit.lines.len(), 1);
    assert_eq!(totals(&credit.lines), (0, 0, 0));
    assert!(!credit.capped);
}

#[test]
fn money_and_rates_print_as_people_read_them() {
    assert_eq!(money(123456, "EUR"), "1234.56 EUR");
    assert_eq!(money(5, "USD"), "0.05 USD");
    assert_eq!(money(-250, "USD"), "-2.50 USD");
    assert_eq!(rate("en", 1900), "19 %");
    assert_eq!(rate("en", 550), "5.5 %");
    assert_eq!(rate("en", 725), "7.25 %");
    assert_eq!(rate("en", 0), "0 %");
    assert_eq!(rate("fr", 550), "5,5 %");
}

#[test]
fn payment_methods_name_the_gateway_or_say_none_was_due() {
    assert_eq!(payment_method("en", Some("stripe")), "Card (Stripe)");
    assert_eq!(payment_method("en", Some("paypal")), "PayPal");
    assert_eq!(payment_method("en", None), "No payment due");
    assert_eq!(payment_method("fr", Some("stripe")), "Carte (Stripe)");
    assert_eq!(reverse_charge_mention("en"), REVERSE_CHARGE_MENTION);
}

#[test]
fn a_reverse_charge_invoice_prints_the_legal_mention_and_the_buyers_vat_number() {
    use crate::learning::certificate::tests::{squashed, text};
    let lines = invoice_lines(&[item("a", 10000, 0, 0, false)], 0, None);
    let (net_cents, tax_cents, total_cents) = totals(&lines);
    let doc = DocumentContent {
        buyer: Buyer {
            vat_number: Some("FR40303265045".into()),
            country: Some("FR".into()),
            ..sample_doc().buyer
        },
        rates: rate_totals(&lines),
        lines,
        net_cents,
        tax_cents,
        total_cents,
        reverse_charge: true,
        mentions: vec![REVERSE_CHARGE_MENTION.to_string()],
        ..sample_doc()
    };
    let pdf = super::pdf::render(&doc, None).expect("renders");
    let page = squashed(&text(&lopdf::Document::load_mem(&pdf).unwrap()));
    for wanted in [
        "Reverse charge: VAT to be accounted for by the recipient, Article 196 Directive 2006/112/EC",
        "VAT number: FR40303265045",
        "INV-2026-000001",
        "100.00 GBP",
        "0 %",
    ] {
        assert!(
            page.contains(&squashed(wanted)),
            "{wanted:?} missing from {page}"
        );
    }
}

fn sample_doc() -> DocumentContent {
    DocumentContent {
        kind: DocumentKind::Invoice,
        locale: "en".into(),
        number: "INV-2026-000001".into(),
        issue_date: "2026-12-06".into(),
        supply_date: "2026-12-06".into(),
        seller: Seller {
            legal_name: "Riverside School Ltd".into(),
            address: vec!["1 High St".into()],
            vat_number: Some("GB123456789".into()),
            tax_number: None,
            registration: None,
            footer: None,
        },
        buyer: Buyer {
            name: "Ada".into(),
            email: "ada@example.com".into(),
            address: vec![],
            country: Some("GB".into()),
            vat_number: None,
        },
        order_number: "SH-1".into(),
        currency: "GBP".into(),
        prices_include_tax: false,
        lines: vec![],
        rates: vec![],
        net_cents: 0,
        tax_cents: 0,
        total_cents: 0,
        payment_method: payment_method("en", Some("stripe")),
        reverse_charge: false,
        mentions: vec![],
        corrects: None,
        reason: None,
    }
}

#[test]
fn a_long_invoice_continues_on_further_pages() {
    let items: Vec<PaidItem> = (0..120)
        .map(|i| item(&format!("line-{i}"), 100 + i, 0, 1900, false))
        .collect();
    let lines = invoice_lines(&items, 0, None);
    let (net_cents, tax_cents, total_cents) = totals(&lines);
    let doc = DocumentContent {
        kind: DocumentKind::Invoice,
        locale: "en".into(),
        number: "INV-2026-000001".into(),
        issue_date: "2026-12-06".into(),
        supply_date: "2026-12-06".into(),
        seller: Seller {
            legal_name: "Riverside School Ltd".into(),
            address: vec!["1 High St".into()],
            vat_number: Some("GB123456789".into()),
            tax_number: None,
            registration: None,
            footer: None,
        },
        buyer: Buyer {
            name: "Ada".into(),
            email: "ada@example.com".into(),
            address: vec![],
            country: Some("GB".into()),
            vat_number: None,
        },
        order_number: "SH-1".into(),
        currency: "GBP".into(),
        prices_include_tax: false,
        rates: rate_totals(&lines),
        lines,
        net_cents,
        tax_cents,
        total_cents,
        payment_method: payment_method("en", Some("stripe")),
        reverse_charge: false,
        mentions: vec![],
        corrects: None,
        reason: None,
    };
    let pdf = super::pdf::render(&doc, None).expect("renders");
    let parsed = lopdf::Document::load_mem(&pdf).expect("a readable PDF");
    assert!(
        parsed.get_pages().len() >= 3,
        "{} pages",
        parsed.get_pages().len()
    );
    assert_eq!(
        super::pdf::render(&doc, None).unwrap(),
        pdf,
        "rendering is deterministic"
    );
}

#[test]
fn a_french_invoice_prints_french_labels_dates_and_amounts() {
    use crate::learning::certificate::tests::{squashed, text};
    let lines = invoice_lines(&[item("a", 123450, 0, 550, false)], 0, None);
    let (net_cents, tax_cents, total_cents) = totals(&lines);
    let doc = DocumentContent {
        locale: "fr".into(),
        currency: "EUR".into(),
        rates: rate_totals(&lines),
        lines,
        net_cents,
        tax_cents,
        total_cents,
        payment_method: payment_method("fr", Some("stripe")),
        mentions: vec![reverse_charge_mention("fr")],
        ..sample_doc()
    };
    let pdf = super::pdf::render(&doc, None).expect("renders");
    let page = squashed(&text(&lopdf::Document::load_mem(&pdf).unwrap()));
    for wanted in [
        "Facture",
        "Numéro : INV-2026-000001",
        "Date d'émission : 06/12/2026",
        "Total HT",
        "1 234,50 €",
        "5,5 %",
        "Mode de paiement : Carte (Stripe)",
        "Autoliquidation",
    ] {
        assert!(
            page.contains(&squashed(wanted)),
            "{wanted:?} missing from {page}"
        );
    }
    for english in [
        "Invoice",
        "Net total",
        "Payment method",
        "Date of issue",
        "1234.50",
    ] {
        assert!(!page.contains(&squashed(english)), "{english:?} in {page}");
    }
}
