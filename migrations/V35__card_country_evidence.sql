-- Issue 30 (EU VAT): the card's issuing country, a piece of location evidence known only once
-- a card payment succeeded, and the contradiction it may reveal. A paid order is never
-- re-taxed: a contradiction is recorded here for the admin (see docs/tax.md).
ALTER TABLE order_tax_evidence ADD COLUMN card_country TEXT;
-- When the gateway was asked (NULL: not yet; set with a NULL country when it had none).
ALTER TABLE order_tax_evidence ADD COLUMN card_checked_at TEXT;
-- Why the evidence no longer settles the country taxed (NULL when it does).
ALTER TABLE order_tax_evidence ADD COLUMN evidence_conflict TEXT;
CREATE INDEX order_tax_evidence_conflicts ON order_tax_evidence (created_at)
    WHERE evidence_conflict IS NOT NULL;
