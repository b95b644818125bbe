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
    id      INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL -- 0: every call
);
CREATE INDEX call_report_changes_call ON call_report_changes (call_id, id);

CREATE TRIGGER calls_report_update AFTER UPDATE ON calls
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (NEW.id);
END;
CREATE TRIGGER plans_report_insert AFTER INSERT ON plans
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (NEW.call_id);
END;
CREATE TRIGGER plans_report_update AFTER UPDATE ON plans
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT NEW.call_id UNION SELECT OLD.call_id;
END;
CREATE TRIGGER plans_report_delete AFTER DELETE ON plans
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (OLD.call_id);
END;
CREATE TRIGGER call_budgets_report_insert AFTER INSERT ON call_budgets
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (NEW.call_id);
END;
CREATE TRIGGER call_budgets_report_update AFTER UPDATE ON call_budgets
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT NEW.call_id UNION SELECT OLD.call_id;
END;
CREATE TRIGGER call_budgets_report_delete AFTER DELETE ON call_budgets
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (OLD.call_id);
END;
CREATE TRIGGER plan_versions_report_insert AFTER INSERT ON plan_versions
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id = NEW.plan_id;
END;
CREATE TRIGGER plan_versions_report_update AFTER UPDATE ON plan_versions
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id IN (NEW.plan_id, OLD.plan_id);
END;
CREATE TRIGGER plan_versions_report_delete AFTER DELETE ON plan_versions
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id = OLD.plan_id;
END;
CREATE TRIGGER line_decisions_report_insert AFTER INSERT ON line_decisions
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id = NEW.plan_id;
END;
CREATE TRIGGER line_decisions_report_update AFTER UPDATE ON line_decisions
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id IN (NEW.plan_id, OLD.plan_id);
END;
CREATE TRIGGER line_decisions_report_delete AFTER DELETE ON line_decisions
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id = OLD.plan_id;
END;
CREATE TRIGGER line_assessments_report_insert AFTER INSERT ON line_assessments
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id = NEW.plan_id;
END;
CREATE TRIGGER line_assessments_report_update AFTER UPDATE ON line_assessments
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id IN (NEW.plan_id, OLD.plan_id);
END;
CREATE TRIGGER line_assessments_report_delete AFTER DELETE ON line_assessments
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id = OLD.plan_id;
END;
CREATE TRIGGER compliance_decisions_report_insert AFTER INSERT ON compliance_decisions
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id = NEW.plan_id;
END;
CREATE TRIGGER compliance_decisions_report_update AFTER UPDATE ON compliance_decisions
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id IN (NEW.plan_id, OLD.plan_id);
END;
CREATE TRIGGER compliance_decisions_report_delete AFTER DELETE ON compliance_decisions
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id = OLD.plan_id;
END;
CREATE TRIGGER tier_upgrades_report_insert AFTER INSERT ON tier_upgrades
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id = NEW.plan_id;
END;
CREATE TRIGGER tier_upgrades_report_update AFTER UPDATE ON tier_upgrades
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id IN (NEW.plan_id, OLD.plan_id);
END;
CREATE TRIGGER tier_upgrades_report_delete AFTER DELETE ON tier_upgrades
BEGIN
    INSERT INTO call_report_changes (call_id) SELECT call_id FROM plans WHERE id = OLD.plan_id;
END;
CREATE TRIGGER organisations_report_insert AFTER INSERT ON organisations
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (0);
END;
CREATE TRIGGER organisations_report_update AFTER UPDATE ON organisations
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (0);
END;
CREATE TRIGGER organisations_report_delete AFTER DELETE ON organisations
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (0);
END;
CREATE TRIGGER crossings_report_insert AFTER INSERT ON crossings
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (0);
END;
CREATE TRIGGER crossings_report_update AFTER UPDATE ON crossings
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (0);
END;
CREATE TRIGGER crossings_report_delete AFTER DELETE ON crossings
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (0);
END;
CREATE TRIGGER crossing_capacity_report_insert AFTER INSERT ON crossing_capacity
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (0);
END;
CREATE TRIGGER crossing_capacity_report_update AFTER UPDATE ON crossing_capacity
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (0);
END;
CREATE TRIGGER crossing_capacity_report_delete AFTER DELETE ON crossing_capacity
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (0);
END;
CREATE TRIGGER site_files_report_insert AFTER INSERT ON site_files
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (0);
END;
CREATE TRIGGER site_files_report_update AFTER UPDATE ON site_files
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (0);
END;
CREATE TRIGGER site_files_report_delete AFTER DELETE ON site_files
BEGIN
    INSERT INTO call_report_changes (call_id) VALUES (0);
END;
