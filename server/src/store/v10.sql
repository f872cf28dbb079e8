-- The payment roll of each area and month (SPEC.md §17): the drafts, each with its check summary
-- and its approval, and what the published versions carry.

-- One draft of a month's roll: every entry the roll is to carry (JSON, the roll entries' view),
-- the check summary against the roll published when it was drafted, and its approval.
-- `published`: the draft's changes are in the published roll (approved, or reductions only).
CREATE TABLE roll_drafts (
    id                INTEGER PRIMARY KEY,
    area              TEXT NOT NULL,
    month             TEXT NOT NULL,
    entries           TEXT NOT NULL,
    summary           TEXT NOT NULL,
    -- the published version the summary compares with; NULL: nothing published yet
    against_version   INTEGER,
    status            TEXT NOT NULL CHECK (status IN ('draft', 'published', 'superseded')),
    drafted_by        TEXT NOT NULL,
    drafted_at        INTEGER NOT NULL,
    -- NULL for a draft that only reduces what is payable (published without approval)
    approved_by       TEXT,
    approved_at       INTEGER,
    published_version INTEGER
);
CREATE INDEX roll_drafts_by_month ON roll_drafts (area, month, id);

-- The published content: each beneficiary's lines (JSON) and the version that last changed
-- them. An entry removed keeps its row with no lines (`[]`), so the deltas after it carry the
-- removal.
CREATE TABLE roll_entries (
    area    TEXT NOT NULL,
    month   TEXT NOT NULL,
    ssn     TEXT NOT NULL,
    lines   TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (area, month, ssn)
) WITHOUT ROWID;
CREATE INDEX roll_entries_by_version ON roll_entries (area, month, version);

-- Every roll ever published, by area and month (what the heartbeat looks at).
CREATE TABLE rolls (
    area  TEXT NOT NULL,
    month TEXT NOT NULL,
    PRIMARY KEY (area, month)
) WITHOUT ROWID;

-- Areas whose beneficiaries' lines the register changed since the published rolls covering them
-- were last drafted (SPEC.md §17.3): the serving server drafts those rolls again from the
-- register. `area` is '' for a change everywhere (the national base level).
CREATE TABLE roll_changes (
    id   INTEGER PRIMARY KEY,
    area TEXT NOT NULL
);
CREATE TRIGGER roll_changes_on_entitlement_insert AFTER INSERT ON entitlements BEGIN
    INSERT INTO roll_changes (area)
    SELECT COALESCE((SELECT area FROM beneficiaries WHERE ssn = NEW.ssn),
                    (SELECT area FROM households WHERE code = NEW.household), '');
END;
CREATE TRIGGER roll_changes_on_entitlement_update AFTER UPDATE ON entitlements BEGIN
    INSERT INTO roll_changes (area)
    SELECT COALESCE((SELECT area FROM beneficiaries WHERE ssn = NEW.ssn),
                    (SELECT area FROM households WHERE code = NEW.household), '');
END;
CREATE TRIGGER roll_changes_on_recipient AFTER INSERT ON entitlement_recipients BEGIN
    INSERT INTO roll_changes (area)
    SELECT COALESCE((SELECT b.area FROM entitlements e JOIN beneficiaries b ON b.ssn = e.ssn WHERE e.id = NEW.entitlement),
                    (SELECT h.area FROM entitlements e JOIN households h ON h.code = e.household WHERE e.id = NEW.entitlement), '');
END;
CREATE TRIGGER roll_changes_on_recipient_replaced AFTER UPDATE OF replaced_at ON entitlement_recipients BEGIN
    INSERT INTO roll_changes (area)
    SELECT COALESCE((SELECT b.area FROM entitlements e JOIN beneficiaries b ON b.ssn = e.ssn WHERE e.id = NEW.entitlement),
                    (SELECT h.area FROM entitlements e JOIN households h ON h.code = e.household WHERE e.id = NEW.entitlement), '');
END;
CREATE TRIGGER roll_changes_on_move AFTER UPDATE OF area ON beneficiaries WHEN OLD.area != NEW.area BEGIN
    INSERT INTO roll_changes (area) VALUES (OLD.area), (NEW.area);
END;
CREATE TRIGGER roll_changes_on_member AFTER INSERT ON household_members BEGIN
    INSERT INTO roll_changes (area) SELECT area FROM beneficiaries WHERE ssn = NEW.ssn;
END;
CREATE TRIGGER roll_changes_on_member_update AFTER UPDATE ON household_members BEGIN
    INSERT INTO roll_changes (area) SELECT area FROM beneficiaries WHERE ssn = NEW.ssn;
END;
CREATE TRIGGER roll_changes_on_base_level AFTER INSERT ON base_levels BEGIN
    INSERT INTO roll_changes (area) VALUES (NEW.province);
END;
CREATE TRIGGER roll_changes_on_base_level_update AFTER UPDATE ON base_levels BEGIN
    INSERT INTO roll_changes (area) VALUES (NEW.province);
END;
