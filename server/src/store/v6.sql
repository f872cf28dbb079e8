-- Schema version 6: a label per account (who or what it is for, e.g. "Chị Lan, quầy 2"), free
-- text checked like an office name; accounts made before have none.
ALTER TABLE accounts ADD COLUMN label TEXT;
