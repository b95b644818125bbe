-- A decision is bound to the facts it was made on (issue 24.2). A general
-- match decision records the kind, the partner's country or vessel's flag,
-- the score and strength decided on; decisions recorded before carry none
-- and so cover no match any more: they are kept for the record and the
-- matches they decided are open again.
ALTER TABLE match_decisions ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE match_decisions ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE match_decisions ADD COLUMN score REAL NOT NULL DEFAULT 0;
ALTER TABLE match_decisions ADD COLUMN strength TEXT NOT NULL DEFAULT '';

-- A compliance decision keeps the facts of the match it decided (JSON, ''
-- for other findings), the evidence that clears a classification doubt, and
-- whether the authority made it general.
ALTER TABLE compliance_decisions ADD COLUMN facts TEXT NOT NULL DEFAULT '';
ALTER TABLE compliance_decisions ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
ALTER TABLE compliance_decisions ADD COLUMN general INTEGER NOT NULL DEFAULT 0;
