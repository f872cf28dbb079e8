-- Schema version 8: the catalogue of administrative units below the provinces (the provinces
-- ship with the product, asxh_core::provinces), imported from the official list: each unit by
-- its full area code (SPEC.md §4.6) and the day it took effect ('' for a unit in force before
-- any card), with its name, its tier as the list writes it (Xã, Phường, Đặc khu, Huyện, …), its
-- last day (NULL while in force) and, for a merged unit, the code of the unit it became part
-- of. The commune data-entry role: the accounts table again, with the wider role list. And
-- each card program's category.
CREATE TABLE areas (
    code        TEXT NOT NULL,
    valid_from  TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    valid_until TEXT,
    successor   TEXT,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (code, valid_from)
);
CREATE TABLE accounts_v8 (
    id          INTEGER PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'office', 'payment-point', 'auditor', 'data-entry')),
    office      TEXT REFERENCES offices(code),
    area        TEXT NOT NULL,
    token_hash  BLOB NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    label       TEXT
);
INSERT INTO accounts_v8 (id, role, office, area, token_hash, created_at, revoked_at, label)
    SELECT id, role, office, area, token_hash, created_at, revoked_at, label FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_v8 RENAME TO accounts;
-- The category (diện) of each card's program, for the reports by category: written with the
-- card, and filled from every stored credential by this migration's upgrade step.
ALTER TABLE card_programs ADD COLUMN category TEXT NOT NULL DEFAULT '';
