//! The manual gateway: the buyer pays at the office or by bank transfer and staff record it,
//! so the gateway itself has nothing to call.

use super::config::GatewayKind;
use super::gateway::{
    GatewayFuture, IntentState, PaymentGateway, RefundOutcome, SendRefund, StartPayment, Started,
};

pub struct ManualGateway;

impl PaymentGateway for ManualGateway {
    fn kind(&self) -> GatewayKind {
        GatewayKind::Manual
    }

    fn start<'a>(&'a self, _request: &'a StartPayment) -> GatewayFuture<'a, Started> {
        Box::pin(async { Ok(Started::default()) })
    }

    fn check<'a>(&'a self, _transaction_id: &'a str) -> GatewayFuture<'a, Option<IntentState>> {
        Box::pin(async { Ok(None) })
    }

    /// Staff hand the money back themselves; approving the refund records that they did.
    fn refund<'a>(&'a self, _request: &'a SendRefund) -> GatewayFuture<'a, RefundOutcome> {
        Box::pin(async {
            Ok(RefundOutcome::Succeeded {
                gateway_refund_id: None,
            })
        })
    }
}
