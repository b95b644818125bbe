-- What a call's report rests on (licensing/callpass.go), and when it last
-- changed: every insert, update or delete of a row the report reads adds a
-- row here, by trigger, in the transaction of the change, whatever path
-- made it (the service, a bulk load, SQL by hand). A reader takes the
-- number and the last id of the rows of its call and of call 0 (the rows
-- every call's report reads: organisations, crossings and their capacity,
-- site files) before it reads anything else; a report computed from a
-- database whose count was the same rests on the same rows. Rows are only
-- ever added: a count never comes back to an earlier figure.
CREATE TABLE call_report_changes (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id BIGINT NOT NULL -- 0: every call
);
CREATE INDEX call_report_changes_call ON call_report_changes (call_id, id);

-- How a row gives its call: its id (calls), its call_id (plans,
-- call_budgets), its plan_id (the rows of a plan version), or none (rows
-- every call's report reads).
CREATE FUNCTION call_report_changed_call() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO call_report_changes (call_id) VALUES (OLD.call_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO call_report_changes (call_id) VALUES (NEW.call_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE FUNCTION call_report_changed_plan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id = OLD.plan_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id = NEW.plan_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE FUNCTION call_report_changed_calls() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (NEW.id);
    RETURN NULL;
END;
$$;
CREATE FUNCTION call_report_changed_every() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (0);
    RETURN NULL;
END;
$$;

CREATE TRIGGER calls_report_changed AFTER UPDATE ON calls
    FOR EACH ROW EXECUTE FUNCTION call_report_changed_calls();
CREATE TRIGGER plans_report_changed AFTER INSERT OR UPDATE OR DELETE ON plans
    FOR EACH ROW EXECUTE FUNCTION call_report_changed_call();
CREATE TRIGGER call_budgets_report_changed AFTER INSERT OR UPDATE OR DELETE ON call_budgets
    FOR EACH ROW EXECUTE FUNCTION call_report_changed_call();
CREATE TRIGGER plan_versions_report_changed AFTER INSERT OR UPDATE OR DELETE ON plan_versions
    FOR EACH ROW EXECUTE FUNCTION call_report_changed_plan();
CREATE TRIGGER line_decisions_report_changed AFTER INSERT OR UPDATE OR DELETE ON line_decisions
    FOR EACH ROW EXECUTE FUNCTION call_report_changed_plan();
CREATE TRIGGER line_assessments_report_changed AFTER INSERT OR UPDATE OR DELETE ON line_assessments
    FOR EACH ROW EXECUTE FUNCTION call_report_changed_plan();
CREATE TRIGGER compliance_decisions_report_changed AFTER INSERT OR UPDATE OR DELETE ON compliance_decisions
    FOR EACH ROW EXECUTE FUNCTION call_report_changed_plan();
CREATE TRIGGER tier_upgrades_report_changed AFTER INSERT OR UPDATE OR DELETE ON tier_upgrades
    FOR EACH ROW EXECUTE FUNCTION call_report_changed_plan();
CREATE TRIGGER organisations_report_changed AFTER INSERT OR UPDATE OR DELETE ON organisations
    FOR EACH ROW EXECUTE FUNCTION call_report_changed_every();
CREATE TRIGGER crossings_report_changed AFTER INSERT OR UPDATE OR DELETE ON crossings
    FOR EACH ROW EXECUTE FUNCTION call_report_changed_every();
CREATE TRIGGER crossing_capacity_report_changed AFTER INSERT OR UPDATE OR DELETE ON crossing_capacity
    FOR EACH ROW EXECUTE FUNCTION call_report_changed_every();
CREATE TRIGGER site_files_report_changed AFTER INSERT OR UPDATE OR DELETE ON site_files
    FOR EACH ROW EXECUTE FUNCTION call_report_changed_every();
