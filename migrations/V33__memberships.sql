-- Memberships and payment plans (issue 28): recurring plans billed through Stripe Billing (or
-- recorded by hand), the memberships that follow them, their invoices, and which enrolments
-- are held through a membership or an instalment plan rather than owned.

-- A plan: a recurring price. `cycles` NULL is a membership (renews until cancelled); a number
-- is a payment plan of that many instalments for one course (`course_id`), owned outright
-- after the last one. `scope` says which courses a membership opens.
CREATE TABLE membership_plans (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    interval        TEXT NOT NULL CHECK (interval = 'month' OR interval = 'year'),
    price_cents     INTEGER NOT NULL CHECK (price_cents > 0),
    currency        TEXT NOT NULL,
    trial_days      INTEGER NOT NULL DEFAULT 0 CHECK (trial_days BETWEEN 0 AND 365),
    scope           TEXT NOT NULL CHECK (scope = 'all' OR scope = 'category' OR scope = 'courses'),
    category_id     TEXT REFERENCES categories (id) ON DELETE RESTRICT,
    cycles          INTEGER CHECK (cycles IS NULL OR cycles BETWEEN 2 AND 60),
    course_id       TEXT REFERENCES courses (id) ON DELETE RESTRICT,
    -- The sibling plan (monthly <-> yearly) a member may switch to.
    switch_plan_id  TEXT REFERENCES membership_plans (id) ON DELETE SET NULL,
    stripe_plan_id  TEXT UNIQUE,
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active = 0 OR active = 1),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (scope <> 'category' OR category_id IS NOT NULL),
    CHECK (cycles IS NULL OR (course_id IS NOT NULL AND scope = 'courses'))
);

-- The courses a `courses`-scoped plan opens (for a payment plan: its one course).
CREATE TABLE membership_plan_courses (
    plan_id   TEXT NOT NULL REFERENCES membership_plans (id) ON DELETE CASCADE,
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    PRIMARY KEY (plan_id, course_id)
) WITHOUT ROWID;
CREATE INDEX membership_plan_courses_course ON membership_plan_courses (course_id);

-- One member's subscription to a plan. `status` moves only through the transition function
-- (payments::memberships::transition). `gateway` is `stripe`, `manual` (periods recorded by
-- staff) or `comp` (given by an admin, free).
CREATE TABLE memberships (
    id                      TEXT PRIMARY KEY,
    user_id                 TEXT NOT NULL REFERENCES users (id),
    plan_id                 TEXT NOT NULL REFERENCES membership_plans (id),
    status                  TEXT NOT NULL CHECK (status = 'trialing' OR status = 'active'
                                OR status = 'past_due' OR status = 'paused'
                                OR status = 'cancelled' OR status = 'expired'),
    gateway                 TEXT NOT NULL CHECK (gateway = 'stripe' OR gateway = 'manual' OR gateway = 'comp'),
    stripe_customer_id      TEXT,
    stripe_subscription_id  TEXT UNIQUE,
    current_period_end      TEXT,
    past_due_since          TEXT,
    cancel_at_period_end    INTEGER NOT NULL DEFAULT 0 CHECK (cancel_at_period_end = 0 OR cancel_at_period_end = 1),
    cycles_paid             INTEGER NOT NULL DEFAULT 0 CHECK (cycles_paid >= 0),
    started_at              TEXT NOT NULL,
    ended_at                TEXT,
    updated_at              TEXT NOT NULL
);
CREATE INDEX memberships_user ON memberships (user_id, status);
CREATE INDEX memberships_status ON memberships (status, plan_id);
-- At most one live membership per member and plan.
CREATE UNIQUE INDEX memberships_one_live ON memberships (user_id, plan_id)
    WHERE status <> 'cancelled' AND status <> 'expired';

-- Each period paid or failed: Stripe invoices by their id (a replay is a no-op), and the
-- periods staff record by hand.
CREATE TABLE membership_invoices (
    id                 TEXT PRIMARY KEY,
    membership_id      TEXT NOT NULL REFERENCES memberships (id),
    stripe_invoice_id  TEXT,
    status             TEXT NOT NULL CHECK (status = 'paid' OR status = 'failed'),
    amount_cents       INTEGER NOT NULL CHECK (amount_cents >= 0),
    currency           TEXT NOT NULL,
    period_end         TEXT,
    recorded_by        TEXT,
    at                 TEXT NOT NULL,
    UNIQUE (stripe_invoice_id, status)
);
CREATE INDEX membership_invoices_membership ON membership_invoices (membership_id, at);

-- An enrolment held through a membership or a payment plan: access follows that membership
-- (the rule in access::rule); without a row here an enrolment is owned. The row goes when the
-- course is bought or the plan's last instalment is paid. Progress and certificates stay on
-- the enrolment whatever happens to the membership.
CREATE TABLE enrollment_holds (
    enrollment_id  TEXT PRIMARY KEY REFERENCES enrollments (id) ON DELETE CASCADE,
    membership_id  TEXT NOT NULL REFERENCES memberships (id),
    kind           TEXT NOT NULL CHECK (kind = 'membership' OR kind = 'plan')
) WITHOUT ROWID;
CREATE INDEX enrollment_holds_membership ON enrollment_holds (membership_id);
