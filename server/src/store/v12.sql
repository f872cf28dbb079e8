-- Payment into an account (issue #19 items 4 and 5): the account an entitlement is paid into
-- instead of at the counter, with its history, and the bank's result of each transfer.

-- An entitlement's history: the table again, with the change of payment method ('account')
-- among its changes.
CREATE TABLE entitlement_events_v12 (
    id          INTEGER PRIMARY KEY,
    entitlement INTEGER NOT NULL REFERENCES entitlements(id),
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    change      TEXT NOT NULL CHECK (change IN ('recorded', 'suspended', 'resumed', 'stopped', 'recipient', 'account')),
    detail      TEXT NOT NULL
);
INSERT INTO entitlement_events_v12 (id, entitlement, at, actor, change, detail)
    SELECT id, entitlement, at, actor, change, detail FROM entitlement_events;
DROP TABLE entitlement_events;
ALTER TABLE entitlement_events_v12 RENAME TO entitlement_events;
CREATE INDEX entitlement_events_by_entitlement ON entitlement_events(entitlement, id);

-- The account an entitlement is paid into (chi trả qua tài khoản): a bank or an e-wallet, the
-- account's number (digits) and holder, whose account it is (the beneficiary's own or their
-- recipient's). The one replaced, or ended (back to the counter), keeps `replaced_at`.
CREATE TABLE entitlement_accounts (
    id          INTEGER PRIMARY KEY,
    entitlement INTEGER NOT NULL REFERENCES entitlements(id),
    kind        TEXT NOT NULL CHECK (kind IN ('bank', 'ewallet')),
    provider    TEXT NOT NULL,
    account_no  TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    owner       TEXT NOT NULL CHECK (owner IN ('holder', 'recipient')),
    set_at      INTEGER NOT NULL,
    replaced_at INTEGER
);
CREATE UNIQUE INDEX entitlement_accounts_current ON entitlement_accounts(entitlement) WHERE replaced_at IS NULL;
CREATE TRIGGER roll_changes_on_account AFTER INSERT ON entitlement_accounts BEGIN
    INSERT INTO roll_changes (area)
    SELECT COALESCE((SELECT b.area FROM entitlements e JOIN beneficiaries b ON b.ssn = e.ssn WHERE e.id = NEW.entitlement), '');
END;
CREATE TRIGGER roll_changes_on_account_replaced AFTER UPDATE OF replaced_at ON entitlement_accounts BEGIN
    INSERT INTO roll_changes (area)
    SELECT COALESCE((SELECT b.area FROM entitlements e JOIN beneficiaries b ON b.ssn = e.ssn WHERE e.id = NEW.entitlement), '');
END;

-- The bank's result of each transfer of a roll line paid into an account, by the line's
-- reference (the transfer list's): which line (the double-payment key of `payment_lines`),
-- ok or failed, the bank's transaction id and reason, and who recorded it from which file.
CREATE TABLE transfer_results (
    reference   TEXT PRIMARY KEY,
    area        TEXT NOT NULL,
    ssn         TEXT NOT NULL,
    month       TEXT NOT NULL,
    program     TEXT NOT NULL,
    category    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    amount_vnd  INTEGER NOT NULL,
    first       TEXT NOT NULL,
    last        TEXT NOT NULL,
    result      TEXT NOT NULL CHECK (result IN ('ok', 'failed')),
    bank_txn    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX transfer_results_by_month ON transfer_results (ssn, month);
CREATE INDEX transfer_results_by_area ON transfer_results (area, month);
CREATE TRIGGER roll_changes_on_transfer_result AFTER INSERT ON transfer_results BEGIN
    INSERT INTO roll_changes (area) VALUES (NEW.area);
END;
