-- Schema version 2: replacement requests, revocations by time, the card programs index.
-- Replacement requests started by an administrator (console): open until a new card for the same
-- SSN is issued, which records itself as `new_serial`.
CREATE TABLE replacements (
    id           INTEGER PRIMARY KEY,
    serial       INTEGER NOT NULL REFERENCES cards(serial),
    reason       TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    new_serial   INTEGER REFERENCES cards(serial),
    done_at      INTEGER
);
CREATE UNIQUE INDEX replacements_one_open_per_card ON replacements(serial) WHERE new_serial IS NULL;
CREATE INDEX revocations_by_time ON revocations(at);
-- The programs each card's signed credential carries, written with the card (and, for cards
-- issued before this migration, by its upgrade step, `program_index::index_all`), so the
-- dashboard counts by program without decoding every credential.
CREATE TABLE card_programs (
    serial  INTEGER NOT NULL REFERENCES cards(serial),
    program TEXT NOT NULL,
    PRIMARY KEY (serial, program)
) WITHOUT ROWID;
CREATE INDEX card_programs_by_program ON card_programs(program);
