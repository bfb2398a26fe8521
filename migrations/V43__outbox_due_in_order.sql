-- Performance (issue 32): the mail sender takes the due mail oldest first, ordered by
-- next attempt and then id. The index held the next attempt alone, so SQLite read every
-- due mail sharing the oldest time (a sale's receipts queued in one second, or a notice
-- queued to every learner at once) and sorted them to keep 200: a 40,000-mail queue cost
-- a sort of the whole queue per batch. With the id in the index the batch is read in
-- order and the read stops at its 200th mail.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE sent_at IS NULL;
