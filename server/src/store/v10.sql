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
