-- Schema version 5: every issuer key an office has had (SPEC.md §14): a key is rotated (the
-- office gets a new active key and its old one is retired), retired (signs no new cards; its
-- cards stay trusted) or revoked (compromised: nothing it signed is trusted). The trust list
-- carries every row; an office issues with its one active key. (The key columns of `offices`
-- keep the office's first key and are no longer read.)
CREATE TABLE issuer_keys (
    key_id      TEXT PRIMARY KEY,
    office      TEXT NOT NULL REFERENCES offices(code),
    public_key  BLOB NOT NULL UNIQUE,
    valid_from  TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('active', 'retired', 'revoked')),
    created_at  INTEGER NOT NULL,
    changed_at  INTEGER
);
CREATE UNIQUE INDEX issuer_keys_one_active ON issuer_keys(office) WHERE status = 'active';
INSERT INTO issuer_keys (key_id, office, public_key, valid_from, valid_until, status, created_at)
    SELECT key_id, code, public_key, valid_from, valid_until, status, created_at FROM offices;
