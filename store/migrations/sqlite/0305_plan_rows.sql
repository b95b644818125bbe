-- The plans' list rows (issue 17, "Speed"): the screening's summary and the
-- number of lines of each plan version, taken from its JSON when the
-- version is written, so that a page of plans does not parse every report
-- and document again. Derived from plan_versions by the triggers, in the
-- same transaction.
CREATE TABLE plan_rows (
    plan_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    summary TEXT,
    lines   INTEGER,
    PRIMARY KEY (plan_id, version)
);

CREATE TRIGGER plan_rows_insert AFTER INSERT ON plan_versions BEGIN
    INSERT INTO plan_rows (plan_id, version, summary, lines)
    VALUES (NEW.plan_id, NEW.version, json_extract(NEW.report, '$.summary'), json_array_length(NEW.plan, '$.Lines'))
    ON CONFLICT (plan_id, version) DO UPDATE SET summary = excluded.summary, lines = excluded.lines;
END;

CREATE TRIGGER plan_rows_update AFTER UPDATE OF plan, report ON plan_versions BEGIN
    INSERT INTO plan_rows (plan_id, version, summary, lines)
    VALUES (NEW.plan_id, NEW.version, json_extract(NEW.report, '$.summary'), json_array_length(NEW.plan, '$.Lines'))
    ON CONFLICT (plan_id, version) DO UPDATE SET summary = excluded.summary, lines = excluded.lines;
END;

INSERT INTO plan_rows (plan_id, version, summary, lines)
    SELECT plan_id, version, json_extract(report, '$.summary'), json_array_length(plan, '$.Lines') FROM plan_versions;
