-- What each plan's part of a call's report rests on (licensing/callparts.go),
-- and when it last changed: every insert, update or delete of a row the part
-- reads adds a row here, by trigger, in the transaction of the change,
-- whatever path made it (the service, a bulk load, SQL by hand): the plan's
-- row, its versions (rewritten in place by draft edits, submission and line
-- assessment), its line decisions, assessments and compliance decisions,
-- and the site files of its organisation. A plan's revision is the last id
-- of its rows; ids are never used twice (AUTOINCREMENT), and rows are only
-- ever added, so a revision never comes back to an earlier figure. A
-- rolled-back change leaves no row.
CREATE TABLE plan_report_changes (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL
);
CREATE INDEX plan_report_changes_plan ON plan_report_changes (plan_id, id);
-- Plans on record before this migration start with a revision.
INSERT INTO plan_report_changes (plan_id) SELECT id FROM plans ORDER BY id;

CREATE TRIGGER plans_part_insert AFTER INSERT ON plans
BEGIN
    INSERT INTO plan_report_changes (plan_id) VALUES (NEW.id);
END;
CREATE TRIGGER plans_part_update AFTER UPDATE ON plans
BEGIN
    INSERT INTO plan_report_changes (plan_id) SELECT NEW.id UNION SELECT OLD.id;
END;
CREATE TRIGGER plans_part_delete AFTER DELETE ON plans
BEGIN
    INSERT INTO plan_report_changes (plan_id) VALUES (OLD.id);
END;
CREATE TRIGGER plan_versions_part_insert AFTER INSERT ON plan_versions
BEGIN
    INSERT INTO plan_report_changes (plan_id) VALUES (NEW.plan_id);
END;
CREATE TRIGGER plan_versions_part_update AFTER UPDATE ON plan_versions
BEGIN
    INSERT INTO plan_report_changes (plan_id) SELECT NEW.plan_id UNION SELECT OLD.plan_id;
END;
CREATE TRIGGER plan_versions_part_delete AFTER DELETE ON plan_versions
BEGIN
    INSERT INTO plan_report_changes (plan_id) VALUES (OLD.plan_id);
END;
CREATE TRIGGER line_decisions_part_insert AFTER INSERT ON line_decisions
BEGIN
    INSERT INTO plan_report_changes (plan_id) VALUES (NEW.plan_id);
END;
CREATE TRIGGER line_decisions_part_update AFTER UPDATE ON line_decisions
BEGIN
    INSERT INTO plan_report_changes (plan_id) SELECT NEW.plan_id UNION SELECT OLD.plan_id;
END;
CREATE TRIGGER line_decisions_part_delete AFTER DELETE ON line_decisions
BEGIN
    INSERT INTO plan_report_changes (plan_id) VALUES (OLD.plan_id);
END;
CREATE TRIGGER line_assessments_part_insert AFTER INSERT ON line_assessments
BEGIN
    INSERT INTO plan_report_changes (plan_id) VALUES (NEW.plan_id);
END;
CREATE TRIGGER line_assessments_part_update AFTER UPDATE ON line_assessments
BEGIN
    INSERT INTO plan_report_changes (plan_id) SELECT NEW.plan_id UNION SELECT OLD.plan_id;
END;
CREATE TRIGGER line_assessments_part_delete AFTER DELETE ON line_assessments
BEGIN
    INSERT INTO plan_report_changes (plan_id) VALUES (OLD.plan_id);
END;
CREATE TRIGGER compliance_decisions_part_insert AFTER INSERT ON compliance_decisions
BEGIN
    INSERT INTO plan_report_changes (plan_id) VALUES (NEW.plan_id);
END;
CREATE TRIGGER compliance_decisions_part_update AFTER UPDATE ON compliance_decisions
BEGIN
    INSERT INTO plan_report_changes (plan_id) SELECT NEW.plan_id UNION SELECT OLD.plan_id;
END;
CREATE TRIGGER compliance_decisions_part_delete AFTER DELETE ON compliance_decisions
BEGIN
    INSERT INTO plan_report_changes (plan_id) VALUES (OLD.plan_id);
END;
CREATE TRIGGER site_files_part_insert AFTER INSERT ON site_files
BEGIN
    INSERT INTO plan_report_changes (plan_id) SELECT id FROM plans WHERE org_id = NEW.org_id;
END;
CREATE TRIGGER site_files_part_update AFTER UPDATE ON site_files
BEGIN
    INSERT INTO plan_report_changes (plan_id) SELECT id FROM plans WHERE org_id IN (NEW.org_id, OLD.org_id);
END;
CREATE TRIGGER site_files_part_delete AFTER DELETE ON site_files
BEGIN
    INSERT INTO plan_report_changes (plan_id) SELECT id FROM plans WHERE org_id = OLD.org_id;
END;
