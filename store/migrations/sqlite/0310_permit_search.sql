-- The permits list's text search (issue 17, "Speed"): a trigram index
-- (FTS5, trigram tokenizer, case-insensitive) over the number, HS code and
-- description of every permit, kept by triggers. It only narrows the
-- search: the list still matches each field with LIKE, so what a search
-- finds is what it found before (docs/ui.md).
CREATE VIRTUAL TABLE permits_text USING fts5 (number, hs, description, tokenize = 'trigram');

INSERT INTO permits_text (rowid, number, hs, description) SELECT id, number, hs, description FROM permits;

CREATE TRIGGER permits_text_insert AFTER INSERT ON permits BEGIN
    INSERT INTO permits_text (rowid, number, hs, description) VALUES (NEW.id, NEW.number, NEW.hs, NEW.description);
END;

CREATE TRIGGER permits_text_delete AFTER DELETE ON permits BEGIN
    DELETE FROM permits_text WHERE rowid = OLD.id;
END;

CREATE TRIGGER permits_text_update AFTER UPDATE OF id, number, hs, description ON permits BEGIN
    DELETE FROM permits_text WHERE rowid = OLD.id;
    INSERT INTO permits_text (rowid, number, hs, description) VALUES (NEW.id, NEW.number, NEW.hs, NEW.description);
END;
