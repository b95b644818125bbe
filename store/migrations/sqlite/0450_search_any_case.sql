-- The permits list's search is case-insensitive for every letter, not only
-- A-Z (redteam, wave 5). The trigram index holds each field through
-- tp_lower (Go's strings.ToLower, registered with the driver) and matches
-- case-sensitively, so it narrows to exactly what matching each field with
-- strings.ToLower finds: FTS5's own folding leaves some capitals (İ, the
-- Kelvin sign, Georgian Mtavruli) as they are.
DROP TRIGGER permits_text_insert;
DROP TRIGGER permits_text_delete;
DROP TRIGGER permits_text_update;
DROP TABLE permits_text;

CREATE VIRTUAL TABLE permits_text USING fts5 (number, hs, description, tokenize = 'trigram case_sensitive 1');

INSERT INTO permits_text (rowid, number, hs, description) SELECT id, tp_lower(number), tp_lower(hs), tp_lower(description) FROM permits;

CREATE TRIGGER permits_text_insert AFTER INSERT ON permits BEGIN
    INSERT INTO permits_text (rowid, number, hs, description) VALUES (NEW.id, tp_lower(NEW.number), tp_lower(NEW.hs), tp_lower(NEW.description));
END;

CREATE TRIGGER permits_text_delete AFTER DELETE ON permits BEGIN
    DELETE FROM permits_text WHERE rowid = OLD.id;
END;

CREATE TRIGGER permits_text_update AFTER UPDATE OF id, number, hs, description ON permits BEGIN
    DELETE FROM permits_text WHERE rowid = OLD.id;
    INSERT INTO permits_text (rowid, number, hs, description) VALUES (NEW.id, tp_lower(NEW.number), tp_lower(NEW.hs), tp_lower(NEW.description));
END;
