-- The plans' list rows (issue 17, "Speed"): the screening's summary and the
-- number of lines of each plan version, taken from its JSON when the
-- version is written, so that a page of plans does not parse every report
-- and document again (20-50 ms for 50 plans on PostgreSQL). Derived from
-- plan_versions by the trigger, in the same transaction.
CREATE TABLE plan_rows (
    plan_id BIGINT NOT NULL,
    version INTEGER NOT NULL,
    summary TEXT,
    lines   INTEGER,
    PRIMARY KEY (plan_id, version)
);

CREATE FUNCTION plan_rows_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO plan_rows (plan_id, version, summary, lines)
    VALUES (NEW.plan_id, NEW.version, (NEW.report::json -> 'summary')::text,
        CASE WHEN json_typeof(NEW.plan::json -> 'Lines') = 'array' THEN json_array_length(NEW.plan::json -> 'Lines') END)
    ON CONFLICT (plan_id, version) DO UPDATE SET summary = EXCLUDED.summary, lines = EXCLUDED.lines;
    RETURN NULL;
END
$$;

CREATE TRIGGER plan_rows_insert AFTER INSERT ON plan_versions FOR EACH ROW EXECUTE FUNCTION plan_rows_change();
CREATE TRIGGER plan_rows_update AFTER UPDATE OF plan, report ON plan_versions FOR EACH ROW EXECUTE FUNCTION plan_rows_change();

INSERT INTO plan_rows (plan_id, version, summary, lines)
    SELECT plan_id, version, (report::json -> 'summary')::text,
        CASE WHEN json_typeof(plan::json -> 'Lines') = 'array' THEN json_array_length(plan::json -> 'Lines') END
    FROM plan_versions;
