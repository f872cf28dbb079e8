-- Schema version 1: offices, accounts, cards and their events, revocations, the audit chain.
CREATE TABLE offices (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    area        TEXT NOT NULL,
    key_id      TEXT NOT NULL UNIQUE,
    public_key  BLOB NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired', 'revoked')),
    created_at  INTEGER NOT NULL
);
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'office', 'payment-point', 'auditor')),
    office      TEXT REFERENCES offices(code),
    area        TEXT NOT NULL,
    token_hash  BLOB NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE TABLE cards (
    serial        INTEGER PRIMARY KEY,
    ssn           TEXT NOT NULL,
    full_name     TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    sex           TEXT NOT NULL,
    area          TEXT NOT NULL,
    office        TEXT NOT NULL REFERENCES offices(code),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'active', 'void', 'revoked')),
    credential    BLOB NOT NULL,
    qr_text       TEXT NOT NULL,
    issued        TEXT NOT NULL,
    expires       TEXT NOT NULL,
    replaces      INTEGER REFERENCES cards(serial),
    created_at    INTEGER NOT NULL
);
-- One live card per SSN: the database itself refuses a second one, so two concurrent requests
-- for one SSN cannot both succeed.
CREATE UNIQUE INDEX cards_one_live_per_ssn ON cards(ssn) WHERE status IN ('pending', 'active');
CREATE INDEX cards_by_ssn ON cards(ssn);
CREATE TABLE card_events (
    id      INTEGER PRIMARY KEY,
    serial  INTEGER NOT NULL REFERENCES cards(serial),
    at      INTEGER NOT NULL,
    event   TEXT NOT NULL,
    actor   TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX card_events_by_serial ON card_events(serial);
-- Each revocation is one version of the revocation list.
CREATE TABLE revocations (
    version    INTEGER PRIMARY KEY AUTOINCREMENT,
    serial     INTEGER NOT NULL UNIQUE REFERENCES cards(serial),
    reason     TEXT NOT NULL,
    revoked_on TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO meta (key, value) VALUES ('trust_list_version', 1);
