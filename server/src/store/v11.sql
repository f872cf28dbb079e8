-- Payments at the counter (issue #19): the payment points and their keys, the receipts they
-- upload, the roll lines those receipts paid (each at most once), and the receipts flagged as
-- paying a line another receipt paid first.

-- A payment point's code, bound to the payment-point account that first registered a key for
-- it; its area is that account's.
CREATE TABLE payment_points (
    code       TEXT PRIMARY KEY,
    account    INTEGER NOT NULL REFERENCES accounts(id),
    area       TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The keys a payment point signs its fallback receipts with (profile 0C). A rotation retires
-- the key before it (`valid_to`): receipts paid before then still verify with it.
CREATE TABLE payment_point_keys (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL REFERENCES payment_points(code),
    key_id     TEXT NOT NULL,
    public_key BLOB NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('active', 'retired')),
    valid_from INTEGER NOT NULL,
    -- NULL while active
    valid_to   INTEGER,
    UNIQUE (code, key_id)
);
CREATE UNIQUE INDEX payment_point_keys_one_active ON payment_point_keys (code) WHERE status = 'active';

-- Every receipt kept: its exact bytes (the evidence), and what it says. `flagged`: a line of it
-- was paid before by another receipt (`payment_flags` names which).
CREATE TABLE payments (
    receipt_id   TEXT PRIMARY KEY,
    bytes        BLOB NOT NULL,
    profile      TEXT NOT NULL CHECK (profile IN ('card', 'point')),
    point        TEXT NOT NULL REFERENCES payment_points(code),
    ssn          TEXT NOT NULL,
    serial       INTEGER,
    area         TEXT NOT NULL,
    month        TEXT NOT NULL,
    roll_version INTEGER NOT NULL,
    paid_at      INTEGER NOT NULL,
    received_at  INTEGER NOT NULL,
    total_vnd    INTEGER NOT NULL,
    -- 'holder', 'guardian' or 'authorised'
    collector    TEXT NOT NULL,
    -- NULL for a receipt the card signed
    fallback     TEXT,
    flagged      INTEGER NOT NULL CHECK (flagged IN (0, 1))
) WITHOUT ROWID;
CREATE INDEX payments_by_month ON payments (area, month);
CREATE INDEX payments_by_point ON payments (point, paid_at);

-- The roll lines each receipt paid: the double-payment key is (ssn, the roll's month, the roll
-- item). A line of a flagged receipt that another receipt paid first is kept with `flagged` 1;
-- every other line is paid at most once, which the database itself enforces.
CREATE TABLE payment_lines (
    receipt_id TEXT NOT NULL REFERENCES payments(receipt_id),
    ssn        TEXT NOT NULL,
    month      TEXT NOT NULL,
    program    TEXT NOT NULL,
    -- '' for a line without a category
    category   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    amount_vnd INTEGER NOT NULL,
    first      TEXT NOT NULL,
    last       TEXT NOT NULL,
    flagged    INTEGER NOT NULL CHECK (flagged IN (0, 1))
);
CREATE UNIQUE INDEX payment_lines_paid_once
    ON payment_lines (ssn, month, program, category, kind, amount_vnd, first, last) WHERE flagged = 0;
CREATE INDEX payment_lines_by_receipt ON payment_lines (receipt_id);

-- A flagged receipt and each receipt that paid one of its lines first.
CREATE TABLE payment_flags (
    receipt_id TEXT NOT NULL REFERENCES payments(receipt_id),
    paid_by    TEXT NOT NULL REFERENCES payments(receipt_id),
    PRIMARY KEY (receipt_id, paid_by)
) WITHOUT ROWID;
