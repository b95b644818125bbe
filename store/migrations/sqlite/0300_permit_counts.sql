-- Counts of permits for the web pages at scale (issue 17, "Speed"): the
-- permit charts, the permits list's total and the crossings page read
-- these instead of counting every permit. One row per issuer of the
-- permit's call, holder, crossing, direction, stored status, last day and
-- state of use (0 none used, 1 some, 2 all, as licensing.UsedState); n
-- permits have them. The triggers keep them in the transaction that
-- inserts, changes or deletes a permit, whatever statement does it.
CREATE TABLE permit_counts (
    issuer    INTEGER NOT NULL,
    holder    INTEGER NOT NULL,
    crossing  TEXT NOT NULL,
    direction TEXT NOT NULL,
    status    TEXT NOT NULL,
    valid_to  TIMESTAMP NOT NULL,
    used      INTEGER NOT NULL,
    n         INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (issuer, holder, crossing, direction, status, valid_to, used)
);

INSERT INTO permit_counts (issuer, holder, crossing, direction, status, valid_to, used, n)
    SELECT COALESCE(c.issuer, 0), p.holder, p.crossing, p.direction, p.status, p.valid_to,
        CASE WHEN p.quantity_used = '0' THEN 0 WHEN p.quantity_used = p.quantity THEN 2 ELSE 1 END, COUNT(*)
    FROM permits p LEFT JOIN calls c ON c.id = p.call_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7;

CREATE TRIGGER permit_counts_insert AFTER INSERT ON permits BEGIN
    INSERT INTO permit_counts (issuer, holder, crossing, direction, status, valid_to, used, n)
    VALUES (COALESCE((SELECT issuer FROM calls WHERE id = NEW.call_id), 0), NEW.holder, NEW.crossing, NEW.direction, NEW.status,
        NEW.valid_to, CASE WHEN NEW.quantity_used = '0' THEN 0 WHEN NEW.quantity_used = NEW.quantity THEN 2 ELSE 1 END, 1)
    ON CONFLICT (issuer, holder, crossing, direction, status, valid_to, used) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER permit_counts_delete AFTER DELETE ON permits BEGIN
    UPDATE permit_counts SET n = n - 1
    WHERE issuer = COALESCE((SELECT issuer FROM calls WHERE id = OLD.call_id), 0) AND holder = OLD.holder AND crossing = OLD.crossing
        AND direction = OLD.direction AND status = OLD.status AND valid_to = OLD.valid_to
        AND used = CASE WHEN OLD.quantity_used = '0' THEN 0 WHEN OLD.quantity_used = OLD.quantity THEN 2 ELSE 1 END;
END;

CREATE TRIGGER permit_counts_update AFTER UPDATE ON permits
WHEN OLD.call_id IS NOT NEW.call_id OR OLD.holder IS NOT NEW.holder OR OLD.crossing IS NOT NEW.crossing
    OR OLD.direction IS NOT NEW.direction OR OLD.status IS NOT NEW.status OR OLD.valid_to IS NOT NEW.valid_to
    OR OLD.quantity_used IS NOT NEW.quantity_used OR OLD.quantity IS NOT NEW.quantity
BEGIN
    UPDATE permit_counts SET n = n - 1
    WHERE issuer = COALESCE((SELECT issuer FROM calls WHERE id = OLD.call_id), 0) AND holder = OLD.holder AND crossing = OLD.crossing
        AND direction = OLD.direction AND status = OLD.status AND valid_to = OLD.valid_to
        AND used = CASE WHEN OLD.quantity_used = '0' THEN 0 WHEN OLD.quantity_used = OLD.quantity THEN 2 ELSE 1 END;
    INSERT INTO permit_counts (issuer, holder, crossing, direction, status, valid_to, used, n)
    VALUES (COALESCE((SELECT issuer FROM calls WHERE id = NEW.call_id), 0), NEW.holder, NEW.crossing, NEW.direction, NEW.status,
        NEW.valid_to, CASE WHEN NEW.quantity_used = '0' THEN 0 WHEN NEW.quantity_used = NEW.quantity THEN 2 ELSE 1 END, 1)
    ON CONFLICT (issuer, holder, crossing, direction, status, valid_to, used) DO UPDATE SET n = n + 1;
END;

-- The list's effective status (expired: a stored status, or issued or
-- suspended past the last day) read by status and last day.
CREATE INDEX permits_status ON permits (status, valid_to);
