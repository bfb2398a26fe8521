//! Membership types: plans, memberships, their invoices and the views members and staff see.

use serde::Serialize;

use crate::access::MembershipStatus;
use crate::status::status_enum;

status_enum!(
    /// How often a plan bills.
    pub enum PlanInterval: "plan interval" { Month => "month", Year => "year" }
);

status_enum!(
    /// Which courses a membership plan opens.
    pub enum PlanScope: "plan scope" { All => "all", Category => "category", Courses => "courses" }
);

status_enum!(
    /// Who collects a membership's money: Stripe Billing, staff by hand, or nobody (comp).
    pub enum MembershipGateway: "membership gateway" { Stripe => "stripe", Manual => "manual", Comp => "comp" }
);

status_enum!(
    /// A period's invoice: paid, or its payment failed.
    pub enum InvoiceStatus: "invoice status" { Paid => "paid", Failed => "failed" }
);

/// A recurring price: a membership (`cycles` null) or a payment plan of `cycles` instalments
/// for `course_id` or for `bundle_id`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Plan {
    pub id: String,
    pub name: String,
    pub interval: PlanInterval,
    pub price_cents: i64,
    pub currency: String,
    pub trial_days: i64,
    pub scope: PlanScope,
    pub category_id: Option<String>,
    /// The courses a `courses` plan opens (a bundle's payment plan: the courses the bundle
    /// held when the plan was made).
    pub course_ids: Vec<String>,
    /// Number of instalments of a payment plan; null for a membership.
    pub cycles: Option<i64>,
    /// The course a payment plan sells.
    pub course_id: Option<String>,
    /// The bundle a payment plan sells (instead of one course).
    pub bundle_id: Option<String>,
    /// That bundle's name, to show beside the price.
    pub bundle_name: Option<String>,
    /// The monthly/yearly sibling a member may switch to.
    pub switch_plan_id: Option<String>,
    #[serde(skip)]
    pub stripe_plan_id: Option<String>,
    pub active: bool,
    pub created_at: String,
}

/// One member's subscription to a plan.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Membership {
    pub id: String,
    pub user_id: String,
    pub plan_id: String,
    pub status: MembershipStatus,
    pub gateway: MembershipGateway,
    #[serde(skip)]
    pub stripe_customer_id: Option<String>,
    pub stripe_subscription_id: Option<String>,
    /// The end of the period paid for (the next charge is then).
    pub current_period_end: Option<String>,
    /// When the first unpaid invoice failed (past_due only).
    pub past_due_since: Option<String>,
    /// The member cancelled: it ends at `current_period_end` unless resumed before.
    pub cancel_at_period_end: bool,
    /// Periods (instalments) paid so far.
    pub cycles_paid: i64,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub updated_at: String,
}

/// A period paid or failed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Invoice {
    pub id: String,
    pub membership_id: String,
    pub stripe_invoice_id: Option<String>,
    pub status: InvoiceStatus,
    pub amount_cents: i64,
    pub currency: String,
    pub period_end: Option<String>,
    pub at: String,
}

/// The next charge of a live membership that will renew.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NextCharge {
    pub at: String,
    pub amount_cents: i64,
    pub currency: String,
}

/// What a member (or staff) sees of a membership: it, its plan, the next charge, invoices.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MembershipView {
    #[serde(flatten)]
    pub membership: Membership,
    pub plan: Plan,
    pub next_charge: Option<NextCharge>,
    pub invoices: Vec<Invoice>,
}

/// A membership in the staff's list, with who holds it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberRow {
    #[serde(flatten)]
    pub view: MembershipView,
    pub member_name: String,
    pub member_email: String,
}

impl Plan {
    /// The courses a payment plan sells (its course, or its bundle's): held while it is
    /// paid, owned after the last instalment. None for a membership.
    pub fn sold_courses(&self) -> Vec<&str> {
        if self.cycles.is_none() {
            return Vec::new();
        }
        let mut sold: Vec<&str> = self.course_id.iter().map(String::as_str).collect();
        if self.bundle_id.is_some() {
            sold.extend(self.course_ids.iter().map(String::as_str));
        }
        sold
    }
}

impl MembershipView {
    pub fn new(membership: Membership, plan: Plan, invoices: Vec<Invoice>) -> MembershipView {
        let renews = !membership.status.is_final()
            && !membership.cancel_at_period_end
            && membership.gateway == MembershipGateway::Stripe
            && plan.cycles.is_none_or(|n| membership.cycles_paid < n);
        let next_charge = match (&membership.current_period_end, renews) {
            (Some(at), true) => Some(NextCharge {
                at: at.clone(),
                amount_cents: plan.price_cents,
                currency: plan.currency.clone(),
            }),
            _ => None,
        };
        MembershipView {
            membership,
            plan,
            next_charge,
            invoices,
        }
    }
}
