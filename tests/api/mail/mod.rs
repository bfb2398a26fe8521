//! Mail: what each event sends, the outbox and its sender, SMTP delivery.

mod events;
