//! Every order move against a table written out independently of `next_states`.

use super::*;

#[test]
fn paid_for_means_paid_and_not_undone() {
    let paid: Vec<_> = OrderStatus::ALL
        .iter()
        .filter(|s| s.is_paid_for())
        .map(|s| s.as_str())
        .collect();
    assert_eq!(
        paid,
        [
            "paid",
            "fulfilled",
            "shipped",
            "delivered",
            "partially_refunded"
        ]
    );
}

const CAUSES: [TransitionCause; 4] = [
    TransitionCause::Payment,
    TransitionCause::Fulfilment,
    TransitionCause::Cancellation,
    TransitionCause::Refund,
];

/// Written out independently of `next_states`, so a slip in either shows.
const ORDER_MOVES: &[(OrderStatus, OrderStatus)] = {
    use OrderStatus::*;
    &[
        (Pending, Paid),
        (Pending, Cancelled),
        (Paid, Fulfilled),
        (Paid, Shipped),
        (Paid, Cancelled),
        (Paid, Refunded),
        (Paid, PartiallyRefunded),
        (Fulfilled, Refunded),
        (Fulfilled, PartiallyRefunded),
        (Shipped, Delivered),
        (Delivered, Refunded),
        (Delivered, PartiallyRefunded),
        (PartiallyRefunded, Refunded),
        (PartiallyRefunded, PartiallyRefunded),
        (PartiallyRefunded, Shipped),
    ]
};

#[test]
fn every_order_move_is_allowed_exactly_when_listed() {
    let mut checked = 0;
    for &from in OrderStatus::ALL {
        for &to in OrderStatus::ALL {
            let listed = ORDER_MOVES.contains(&(from, to));
            for via in CAUSES {
                let needs_refund =
                    matches!(to, OrderStatus::Refunded | OrderStatus::PartiallyRefunded);
                let expected = if !listed {
                    Err(IllegalTransition {
                        from,
                        to,
                        only_via: None,
                    })
                } else if needs_refund && via != TransitionCause::Refund {
                    Err(IllegalTransition {
                        from,
                        to,
                        only_via: Some("a refund"),
                    })
                } else {
                    Ok(())
                };
                assert_eq!(
                    transition(from, to, via),
                    expected,
                    "{from} -> {to} via {via:?}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 8 * 8 * 4);
}

#[test]
fn the_list_names_every_order_status_once() {
    let unique: std::collections::HashSet<OrderStatus> = OrderStatus::ALL.iter().copied().collect();
    assert_eq!(unique.len(), 8);
    assert_eq!(OrderStatus::ALL.len(), 8);
}

#[test]
fn cancelled_and_refunded_orders_are_final() {
    let final_orders: Vec<_> = OrderStatus::ALL
        .iter()
        .filter(|status| status.is_final())
        .collect();
    assert_eq!(
        final_orders,
        [&OrderStatus::Cancelled, &OrderStatus::Refunded]
    );
}

#[test]
fn refund_states_need_the_refund_flow_even_for_an_admin() {
    let error = transition(
        OrderStatus::Delivered,
        OrderStatus::Refunded,
        TransitionCause::Fulfilment,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "only a refund can move an order from delivered to refunded"
    );
}

#[test]
fn illegal_order_moves_name_both_states() {
    let cases = [
        (
            transition(
                OrderStatus::Shipped,
                OrderStatus::Pending,
                TransitionCause::Fulfilment,
            ),
            "cannot move an order from shipped to pending",
        ),
        (
            transition(
                OrderStatus::Refunded,
                OrderStatus::PartiallyRefunded,
                TransitionCause::Refund,
            ),
            "cannot move an order from refunded to partially_refunded",
        ),
    ];
    for (refused, expected) in cases {
        assert_eq!(refused.unwrap_err().to_string(), expected);
    }
}

#[test]
fn order_statuses_and_causes_are_stored_as_snake_case_strings() {
    let expected = [
        (OrderStatus::Pending, "pending"),
        (OrderStatus::Paid, "paid"),
        (OrderStatus::Fulfilled, "fulfilled"),
        (OrderStatus::Shipped, "shipped"),
        (OrderStatus::Delivered, "delivered"),
        (OrderStatus::Cancelled, "cancelled"),
        (OrderStatus::Refunded, "refunded"),
        (OrderStatus::PartiallyRefunded, "partially_refunded"),
    ];
    assert_eq!(expected.len(), OrderStatus::ALL.len());
    for (status, text) in expected {
        assert_eq!(status.as_str(), text);
        assert_eq!(text.parse::<OrderStatus>(), Ok(status));
        assert_eq!(
            serde_json::to_string(&status).unwrap(),
            format!("\"{text}\"")
        );
    }
    for cause in CAUSES {
        assert_eq!(
            serde_json::to_string(&cause).unwrap(),
            format!("\"{}\"", cause.as_str())
        );
    }
}

#[test]
fn unknown_order_status_strings_are_refused_with_the_valid_ones_listed() {
    let cases = [
        "",
        "Paid",
        "PAID",
        " paid",
        "partially-refunded",
        "completed",
    ];
    for text in cases {
        let error = text.parse::<OrderStatus>().unwrap_err();
        assert_eq!(error.value, text);
        assert_eq!(error.expected.len(), OrderStatus::ALL.len());
    }
}
