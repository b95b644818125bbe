-- The permits list's text search (issue 17, "Speed"): a trigram index
-- (pg_trgm, in PostgreSQL's contrib: Debian's postgresql package has it)
-- over the number, HS code and description of every permit, joined by
-- spaces and lower-cased. It only narrows the search: the list still
-- matches each field with LIKE, so what a search finds is what it found
-- before (docs/ui.md).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX permits_text ON permits USING gin (LOWER(number || ' ' || hs || ' ' || description) gin_trgm_ops);
