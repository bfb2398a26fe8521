-- Issue 30 (EU VAT): the location evidence and VAT-number check each order was taxed on,
-- kept with the order for the tax authorities (one row per order placed while EU VAT is on).
CREATE TABLE order_tax_evidence (
    order_id          TEXT PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    -- The country the buyer declared, the connecting address and the country the IP file
    -- gave it (NULL when unknown), and the country the order was taxed for.
    billing_country   TEXT,
    ip_address        TEXT,
    ip_country        TEXT,
    country           TEXT NOT NULL,
    -- Non-contradicting pieces naming `country` (billing, IP); 0 under the reverse charge
    -- when the VAT number's member state decides.
    evidence_pieces   INTEGER NOT NULL CHECK (evidence_pieces >= 0 AND evidence_pieces <= 2),
    vat_number        TEXT,
    vies_status       TEXT CHECK (vies_status IS NULL OR vies_status = 'valid'
                          OR vies_status = 'invalid' OR vies_status = 'unavailable'),
    -- VIES's requestIdentifier, the name it gave, and why a check could not be made.
    vies_consultation TEXT,
    vies_name         TEXT,
    vies_error        TEXT,
    vies_checked_at   TEXT,
    -- Re-checks made after VIES was unavailable at checkout (the order stays taxed).
    vies_rechecks     INTEGER NOT NULL DEFAULT 0,
    reverse_charge    INTEGER NOT NULL CHECK (reverse_charge = 0 OR reverse_charge = 1),
    scheme            TEXT NOT NULL CHECK (scheme = 'domestic' OR scheme = 'oss'
                          OR scheme = 'reverse_charge' OR scheme = 'outside_eu'),
    created_at        TEXT NOT NULL
);
-- The re-check job's queue: numbers VIES could not answer.
CREATE INDEX order_tax_evidence_unchecked ON order_tax_evidence (vies_checked_at)
    WHERE vies_status = 'unavailable';
