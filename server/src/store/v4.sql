-- Schema version 4.
-- The area of each audit row, so an administrator or auditor reads only their area's rows
-- (filled from what each older row names by `audit::index_areas`).
ALTER TABLE audit ADD COLUMN area TEXT;
CREATE INDEX audit_by_area ON audit(area, id);
-- Each card's public key (SEC1), so a key a card already has is refused for another card
-- (filled from older cards' credentials by `registry::issuance::index_card_keys`).
ALTER TABLE cards ADD COLUMN card_key BLOB;
CREATE INDEX cards_by_card_key ON cards(card_key);
