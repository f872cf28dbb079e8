-- Schema version 7: every look-up the console and the API make at national scale uses an index.
-- Areas are compared as ranges of their codes (`51` ≤ area < `51.~` is province 51 and all
-- below it), so the cards of an area, of an office, of a status, a card's replacements and the
-- requests of a card are index ranges whose cost does not grow with the country; the
-- dashboard's counts by program are kept with each write.
CREATE INDEX cards_by_area ON cards(area, status);
CREATE INDEX cards_by_office ON cards(office, status);
CREATE INDEX cards_by_replaces ON cards(replaces) WHERE replaces IS NOT NULL;
CREATE INDEX replacements_by_serial ON replacements(serial);
CREATE INDEX replacements_by_new_serial ON replacements(new_serial) WHERE new_serial IS NOT NULL;
-- The words of each card's folded name (accents removed, lower case: `asxh_core::holder::fold_name`)
-- under its province, written with the card: a name search is a range of words in one province.
CREATE TABLE card_words (
    province TEXT NOT NULL,
    word     TEXT NOT NULL,
    serial   INTEGER NOT NULL REFERENCES cards(serial),
    PRIMARY KEY (province, word, serial)
) WITHOUT ROWID;
-- Cards by area, program and status, kept by triggers with every write that adds a program to a
-- card or changes a card's status: the dashboard's programs are a range of this table.
CREATE TABLE program_counts (
    area    TEXT NOT NULL,
    program TEXT NOT NULL,
    status  TEXT NOT NULL,
    cards   INTEGER NOT NULL,
    PRIMARY KEY (area, program, status)
) WITHOUT ROWID;
INSERT INTO program_counts (area, program, status, cards)
    SELECT c.area, p.program, c.status, COUNT(*) FROM card_programs p JOIN cards c ON c.serial = p.serial
    GROUP BY c.area, p.program, c.status;
CREATE TRIGGER program_counts_on_program AFTER INSERT ON card_programs BEGIN
    INSERT INTO program_counts (area, program, status, cards)
        SELECT area, NEW.program, status, 1 FROM cards WHERE serial = NEW.serial
        ON CONFLICT (area, program, status) DO UPDATE SET cards = cards + 1;
END;
CREATE TRIGGER program_counts_on_status AFTER UPDATE OF status ON cards WHEN OLD.status != NEW.status BEGIN
    UPDATE program_counts SET cards = cards - 1
        WHERE area = OLD.area AND status = OLD.status
          AND program IN (SELECT program FROM card_programs WHERE serial = OLD.serial);
    INSERT INTO program_counts (area, program, status, cards)
        SELECT NEW.area, program, NEW.status, 1 FROM card_programs WHERE serial = NEW.serial
        ON CONFLICT (area, program, status) DO UPDATE SET cards = cards + 1;
END;
