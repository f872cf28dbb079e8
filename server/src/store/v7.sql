-- Schema version 7: every look-up the console and the API make at national scale uses an index.
-- Areas are compared as ranges of their codes (`51` ≤ area < `51.~` is province 51 and all
-- below it), so the cards of an area, of an office, of a status, a card's replacements and the
-- requests of a card are index ranges whose cost does not grow with the country.
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
