//! Every payment and refund-request move against tables written out independently of `next_states`.

use super::*;

const PAYMENT_MOVES: &[(PaymentStatus, PaymentStatus)] = {
    use PaymentStatus::*;
    &[
        (Pending, Completed),
        (Pending, Failed),
        (Failed, Completed),
        (Completed, Refunded),
        (Completed, PartiallyRefunded),
        (PartiallyRefunded, Refunded),
        (PartiallyRefunded, PartiallyRefunded),
    ]
};

const REFUND_MOVES: &[(RefundStatus, RefundStatus)] = {
    use RefundStatus::*;
    &[
        (Requested, Approved),
        (Requested, Rejected),
        (Requested, ReturnRequested),
        (ReturnRequested, ReturnReceived),
        (ReturnRequested, Rejected),
        (ReturnReceived, Approved),
        (ReturnReceived, Rejected),
        (Approved, Processed),
        (Approved, Failed),
        (Failed, Processed),
    ]
};

#[test]
fn staff_have_the_next_move_on_new_requests_returns_and_failed_payouts_only() {
    use RefundStatus::*;
    let waiting: Vec<_> = RefundStatus::ALL
        .iter()
        .filter(|s| s.waits_for_staff())
        .collect();
    assert_eq!(
        waiting,
        [&Requested, &ReturnRequested, &ReturnReceived, &Failed]
    );
}

#[test]
fn every_payment_move_is_allowed_exactly_when_listed() {
    for &from in PaymentStatus::ALL {
        for &to in PaymentStatus::ALL {
            let expected = if PAYMENT_MOVES.contains(&(from, to)) {
                Ok(())
            } else {
                Err(IllegalTransition {
                    from,
                    to,
                    only_via: None,
                })
            };
            assert_eq!(payment_transition(from, to), expected, "{from} -> {to}");
        }
    }
}

#[test]
fn every_refund_request_move_is_allowed_exactly_when_listed() {
    for &from in RefundStatus::ALL {
        for &to in RefundStatus::ALL {
            let expected = if REFUND_MOVES.contains(&(from, to)) {
                Ok(())
            } else {
                Err(IllegalTransition {
                    from,
                    to,
                    only_via: None,
                })
            };
            assert_eq!(refund_transition(from, to), expected, "{from} -> {to}");
        }
    }
}

#[test]
fn the_lists_name_every_status_once() {
    let payments: std::collections::HashSet<_> = PaymentStatus::ALL.iter().collect();
    assert_eq!((payments.len(), PaymentStatus::ALL.len()), (5, 5));
    let refunds: std::collections::HashSet<_> = RefundStatus::ALL.iter().collect();
    assert_eq!((refunds.len(), RefundStatus::ALL.len()), (7, 7));
}

#[test]
fn final_states_are_the_ones_with_no_way_out() {
    let final_payments: Vec<_> = PaymentStatus::ALL
        .iter()
        .filter(|status| status.is_final())
        .collect();
    assert_eq!(final_payments, [&PaymentStatus::Refunded]);
    let final_refunds: Vec<_> = RefundStatus::ALL
        .iter()
        .filter(|status| status.is_final())
        .collect();
    assert_eq!(
        final_refunds,
        [&RefundStatus::Rejected, &RefundStatus::Processed]
    );
}

#[test]
fn completed_payment_never_becomes_failed_but_failed_can_complete() {
    assert!(payment_transition(PaymentStatus::Completed, PaymentStatus::Failed).is_err());
    assert!(payment_transition(PaymentStatus::Failed, PaymentStatus::Completed).is_ok());
}

#[test]
fn illegal_moves_name_both_states() {
    assert_eq!(
        payment_transition(PaymentStatus::Completed, PaymentStatus::Failed)
            .unwrap_err()
            .to_string(),
        "cannot move a payment from completed to failed"
    );
    assert_eq!(
        refund_transition(RefundStatus::Processed, RefundStatus::ReturnRequested)
            .unwrap_err()
            .to_string(),
        "cannot move a refund request from processed to return_requested"
    );
}

#[test]
fn statuses_are_stored_as_snake_case_strings() {
    let payments = [
        (PaymentStatus::Pending, "pending"),
        (PaymentStatus::Completed, "completed"),
        (PaymentStatus::Failed, "failed"),
        (PaymentStatus::Refunded, "refunded"),
        (PaymentStatus::PartiallyRefunded, "partially_refunded"),
    ];
    for (status, text) in payments {
        assert_eq!(status.as_str(), text);
        assert_eq!(
            serde_json::to_string(&status).unwrap(),
            format!("\"{text}\"")
        );
    }
    let refunds = [
        (RefundStatus::Requested, "requested"),
        (RefundStatus::Approved, "approved"),
        (RefundStatus::Rejected, "rejected"),
        (RefundStatus::Processed, "processed"),
        (RefundStatus::ReturnRequested, "return_requested"),
        (RefundStatus::ReturnReceived, "return_received"),
        (RefundStatus::Failed, "failed"),
    ];
    for (status, text) in refunds {
        assert_eq!(status.as_str(), text);
        assert_eq!(
            serde_json::to_string(&status).unwrap(),
            format!("\"{text}\"")
        );
    }
}

#[test]
fn unknown_status_strings_are_refused_with_the_valid_ones_listed() {
    assert_eq!(
        "done".parse::<RefundStatus>().unwrap_err().to_string(),
        "unknown refund status \"done\" (expected one of: requested, approved, rejected, \
         processed, return_requested, return_received, failed)"
    );
    assert!("shipped".parse::<PaymentStatus>().is_err());
}
