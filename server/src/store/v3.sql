-- Schema version 3: signed lists as published (SPEC.md §14-§15).
-- A revocation's version is the publication that first carried it: revocations committed together
-- share one version, so the version is no longer the row's key.
CREATE TABLE revocations_v3 (
    version    INTEGER NOT NULL,
    serial     INTEGER NOT NULL UNIQUE REFERENCES cards(serial),
    reason     TEXT NOT NULL,
    revoked_on TEXT NOT NULL,
    at         INTEGER NOT NULL
);
INSERT INTO revocations_v3 (version, serial, reason, revoked_on, at)
    SELECT version, serial, reason, revoked_on, at FROM revocations;
DROP TABLE revocations;
ALTER TABLE revocations_v3 RENAME TO revocations;
CREATE INDEX revocations_by_time ON revocations(at);
CREATE INDEX revocations_by_version ON revocations(version);
-- Every signed list published, by list name and version: its times, ETag and the exact bytes
-- served (kept for the newest version of each list; older ones keep their row, without bytes,
-- for the retention period, so a delta from them can still be answered).
CREATE TABLE published_lists (
    name        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    issued_at   INTEGER NOT NULL,
    next_update INTEGER NOT NULL,
    etag        TEXT NOT NULL,
    bytes       BLOB,
    PRIMARY KEY (name, version)
) WITHOUT ROWID;
-- The versions served before this schema (one per revocation, from 0) stay valid bases for deltas,
-- so verifiers need no full list after the upgrade. (The trust list's old counter,
-- meta.trust_list_version, is no longer read.)
INSERT INTO published_lists (name, version, issued_at, next_update, etag, bytes)
    SELECT 'revocation-list', v, CAST(strftime('%s', 'now') AS INTEGER), 0, '', NULL
    FROM (SELECT 0 AS v UNION SELECT version FROM revocations);
