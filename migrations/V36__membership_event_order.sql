-- Issue 28: Stripe does not deliver events in order. The `created` time (Stripe's clock, unix
-- seconds) of the newest subscription event applied to a membership, so an older one that
-- arrives late (a "not cancelled" from before the member cancelled) changes nothing.
ALTER TABLE memberships ADD COLUMN stripe_event_at INTEGER;
