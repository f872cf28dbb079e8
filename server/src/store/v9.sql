-- Schema version 9: the register of entitlement decisions (issue 18). Beneficiaries by SSN
-- with their residence commune; households (mã hộ, one code from province to commune) and
-- their members; entitlement decisions of a beneficiary or of a household (poor and
-- near-poor status is decided per household and applies to its members), each with its
-- amount rule (a coefficient in hundredths of the program's base level, or a fixed amount),
-- its decision (số quyết định, date), the months it pays, its status and every change to
-- it; the authorised recipient of each entitlement with the ones it replaced; and the base
-- levels of each program from a month, national ('') or a province's own.
CREATE TABLE beneficiaries (
    ssn        TEXT PRIMARY KEY,
    full_name  TEXT NOT NULL,
    area       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX beneficiaries_by_area ON beneficiaries(area, ssn);
CREATE TABLE households (
    code       TEXT PRIMARY KEY,
    area       TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX households_by_area ON households(area);
-- A beneficiary belongs to one household at a time.
CREATE TABLE household_members (
    ssn       TEXT PRIMARY KEY REFERENCES beneficiaries(ssn),
    household TEXT NOT NULL REFERENCES households(code),
    joined_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX household_members_by_household ON household_members(household, ssn);
-- Months are YYYY-MM, days YYYY-MM-DD, so both compare as text. `first_paid` is the first
-- month a roll pays the decision (the month it was recorded, or `paid_from` if later): the
-- months before it from `paid_from` are arrears (truy lĩnh), paid in that month's roll.
-- `settled_until` is the last month paid before the decision was recorded here (by the
-- system the register replaces): no arrears for it or the months before.
-- `paid_until` is the last month paid: the decision's end, or the month of a stop.
CREATE TABLE entitlements (
    id            INTEGER PRIMARY KEY,
    ssn           TEXT REFERENCES beneficiaries(ssn),
    household     TEXT REFERENCES households(code),
    program       TEXT NOT NULL,
    category      TEXT NOT NULL,
    coefficient   INTEGER CHECK (coefficient > 0),
    fixed_vnd     INTEGER CHECK (fixed_vnd > 0),
    decision_no   TEXT NOT NULL,
    decision_date TEXT NOT NULL,
    paid_from     TEXT NOT NULL,
    paid_until    TEXT,
    first_paid    TEXT NOT NULL,
    settled_until TEXT,
    status        TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'stopped')),
    reason        TEXT,
    status_on     TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    CHECK ((ssn IS NULL) != (household IS NULL)),
    CHECK ((coefficient IS NULL) != (fixed_vnd IS NULL)),
    CHECK ((status = 'active') = (reason IS NULL))
);
CREATE INDEX entitlements_by_ssn ON entitlements(ssn) WHERE ssn IS NOT NULL;
CREATE INDEX entitlements_by_household ON entitlements(household) WHERE household IS NOT NULL;
CREATE UNIQUE INDEX entitlements_by_decision ON entitlements(decision_no, program, category, COALESCE(ssn, household));
-- Every change of an entitlement, oldest first: recorded, suspended, resumed, stopped,
-- recipient (set or removed), with who made it and what it said.
CREATE TABLE entitlement_events (
    id          INTEGER PRIMARY KEY,
    entitlement INTEGER NOT NULL REFERENCES entitlements(id),
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    change      TEXT NOT NULL CHECK (change IN ('recorded', 'suspended', 'resumed', 'stopped', 'recipient')),
    detail      TEXT NOT NULL
);
CREATE INDEX entitlement_events_by_entitlement ON entitlement_events(entitlement, id);
-- The person who may collect an entitlement for the beneficiary: the current one has no
-- `replaced_at`.
CREATE TABLE entitlement_recipients (
    id          INTEGER PRIMARY KEY,
    entitlement INTEGER NOT NULL REFERENCES entitlements(id),
    role        TEXT NOT NULL CHECK (role IN ('guardian', 'authorised')),
    full_name   TEXT NOT NULL,
    id_number   TEXT NOT NULL,
    document    TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_until TEXT,
    set_at      INTEGER NOT NULL,
    replaced_at INTEGER
);
CREATE UNIQUE INDEX entitlement_recipients_current ON entitlement_recipients(entitlement) WHERE replaced_at IS NULL;
CREATE TABLE base_levels (
    program    TEXT NOT NULL,
    province   TEXT NOT NULL DEFAULT '',
    from_month TEXT NOT NULL,
    amount_vnd INTEGER NOT NULL CHECK (amount_vnd > 0),
    decree     TEXT NOT NULL,
    set_at     INTEGER NOT NULL,
    PRIMARY KEY (program, province, from_month)
) WITHOUT ROWID;
