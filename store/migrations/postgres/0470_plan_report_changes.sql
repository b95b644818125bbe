-- What each plan's part of a call's report rests on (licensing/callparts.go),
-- and when it last changed: every insert, update or delete of a row the part
-- reads adds a row here, by trigger, in the transaction of the change,
-- whatever path made it (the service, a bulk load, SQL by hand): the plan's
-- row, its versions (rewritten in place by draft edits, submission and line
-- assessment), its line decisions, assessments and compliance decisions,
-- and the site files of its organisation. A plan's revision is the last id
-- of its rows; ids come from a sequence, never used twice, even by a
-- rolled-back change (which leaves no row), and rows are only ever added, so
-- a revision never comes back to an earlier figure.
CREATE TABLE plan_report_changes (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id BIGINT NOT NULL
);
CREATE INDEX plan_report_changes_plan ON plan_report_changes (plan_id, id);
-- Plans on record before this migration start with a revision.
INSERT INTO plan_report_changes (plan_id) SELECT id FROM plans ORDER BY id;

CREATE FUNCTION plan_part_changed_plan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO plan_report_changes (plan_id) VALUES (OLD.id);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.id <> OLD.id) THEN
        INSERT INTO plan_report_changes (plan_id) VALUES (NEW.id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE FUNCTION plan_part_changed_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO plan_report_changes (plan_id) VALUES (OLD.plan_id);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.plan_id <> OLD.plan_id) THEN
        INSERT INTO plan_report_changes (plan_id) VALUES (NEW.plan_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE FUNCTION plan_part_changed_sites() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO plan_report_changes (plan_id) SELECT id FROM plans WHERE org_id = OLD.org_id;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.org_id <> OLD.org_id) THEN
        INSERT INTO plan_report_changes (plan_id) SELECT id FROM plans WHERE org_id = NEW.org_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER plans_part_changed AFTER INSERT OR UPDATE OR DELETE ON plans
    FOR EACH ROW EXECUTE FUNCTION plan_part_changed_plan();
CREATE TRIGGER plan_versions_part_changed AFTER INSERT OR UPDATE OR DELETE ON plan_versions
    FOR EACH ROW EXECUTE FUNCTION plan_part_changed_row();
CREATE TRIGGER line_decisions_part_changed AFTER INSERT OR UPDATE OR DELETE ON line_decisions
    FOR EACH ROW EXECUTE FUNCTION plan_part_changed_row();
CREATE TRIGGER line_assessments_part_changed AFTER INSERT OR UPDATE OR DELETE ON line_assessments
    FOR EACH ROW EXECUTE FUNCTION plan_part_changed_row();
CREATE TRIGGER compliance_decisions_part_changed AFTER INSERT OR UPDATE OR DELETE ON compliance_decisions
    FOR EACH ROW EXECUTE FUNCTION plan_part_changed_row();
CREATE TRIGGER site_files_part_changed AFTER INSERT OR UPDATE OR DELETE ON site_files
    FOR EACH ROW EXECUTE FUNCTION plan_part_changed_sites();
