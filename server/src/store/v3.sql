-- Schema version 3: the area of each audit row, so an administrator or auditor reads only their
-- area's rows (filled from what each older row names by `audit::index_areas`).
ALTER TABLE audit ADD COLUMN area TEXT;
CREATE INDEX audit_by_area ON audit(area, id);
