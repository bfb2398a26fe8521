-- Issue 30: invoices and credit notes. One table holds both kinds, each kind in its own
-- gap-free series: the number is allocated from `counters` inside the transaction that pays
-- the order or processes the refund, so a rollback gives it back and nothing else can take it.
-- Issued rows are immutable (a correction is a credit note) and never deleted.
CREATE TABLE invoices (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind = 'invoice' OR kind = 'credit_note'),
    -- Position in the kind's series (1, 2, 3 ... from the configured first number).
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    number       TEXT NOT NULL,
    order_id     TEXT NOT NULL REFERENCES orders (id),
    -- For a credit note: the invoice it corrects.
    invoice_id   TEXT REFERENCES invoices (id),
    -- For a credit note: the processed refund it documents (NULL for a cancelled free order).
    refund_id    TEXT UNIQUE,
    user_id      TEXT NOT NULL,
    currency     TEXT NOT NULL,
    net_cents    INTEGER NOT NULL CHECK (net_cents >= 0),
    tax_cents    INTEGER NOT NULL CHECK (tax_cents >= 0),
    total_cents  INTEGER NOT NULL CHECK (total_cents >= 0),
    issued_at    TEXT NOT NULL,
    -- JSON: everything printed (seller, buyer, lines, totals per rate, mentions), frozen.
    content      TEXT NOT NULL,
    UNIQUE (kind, seq),
    UNIQUE (kind, number),
    CHECK ((kind = 'invoice') = (invoice_id IS NULL))
);
CREATE UNIQUE INDEX invoices_one_per_order ON invoices (order_id) WHERE kind = 'invoice';
CREATE INDEX invoices_by_order ON invoices (order_id, kind, seq);
CREATE INDEX invoices_by_issue ON invoices (issued_at, kind);

CREATE TRIGGER invoices_are_immutable BEFORE UPDATE ON invoices
BEGIN
    SELECT RAISE(ABORT, 'an issued invoice or credit note cannot be changed');
END;
CREATE TRIGGER invoices_are_never_deleted BEFORE DELETE ON invoices
BEGIN
    SELECT RAISE(ABORT, 'an issued invoice or credit note cannot be deleted');
END;

-- The archived PDF of each document (under <data_dir>/invoices/): written once, after the
-- issuing transaction, and from then on served as stored. Also immutable.
CREATE TABLE invoice_files (
    invoice_id  TEXT PRIMARY KEY REFERENCES invoices (id),
    path        TEXT NOT NULL UNIQUE,
    sha256      TEXT NOT NULL,
    size_bytes  INTEGER NOT NULL CHECK (size_bytes > 0),
    archived_at TEXT NOT NULL
);
CREATE TRIGGER invoice_files_are_immutable BEFORE UPDATE ON invoice_files
BEGIN
    SELECT RAISE(ABORT, 'an archived invoice file cannot be changed');
END;
CREATE TRIGGER invoice_files_are_never_deleted BEFORE DELETE ON invoice_files
BEGIN
    SELECT RAISE(ABORT, 'an archived invoice file cannot be deleted');
END;

INSERT INTO counters (name, value) VALUES ('invoice', 0), ('credit_note', 0);
