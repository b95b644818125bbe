-- Counts of permits for the web pages at scale (issue 17, "Speed"): the
-- permit charts, the permits list's total and the crossings page read
-- these instead of counting every permit. One row per issuer of the
-- permit's call, holder, crossing, direction, stored status, last day and
-- state of use (0 none used, 1 some, 2 all, as licensing.UsedState); n
-- permits have them. The trigger keeps them in the transaction that
-- inserts, changes or deletes a permit, whatever statement does it; the
-- upsert locks the row it adds to, so two transactions at once add up.
CREATE TABLE permit_counts (
    issuer    BIGINT NOT NULL,
    holder    BIGINT NOT NULL,
    crossing  TEXT NOT NULL,
    direction TEXT NOT NULL,
    status    TEXT NOT NULL,
    valid_to  TIMESTAMPTZ NOT NULL,
    used      SMALLINT NOT NULL,
    n         BIGINT NOT NULL CHECK (n >= 0),
    PRIMARY KEY (issuer, holder, crossing, direction, status, valid_to, used)
);

INSERT INTO permit_counts (issuer, holder, crossing, direction, status, valid_to, used, n)
    SELECT COALESCE(c.issuer, 0), p.holder, p.crossing, p.direction, p.status, p.valid_to,
        CASE WHEN p.quantity_used = 0 THEN 0 WHEN p.quantity_used = p.quantity THEN 2 ELSE 1 END, COUNT(*)
    FROM permits p LEFT JOIN calls c ON c.id = p.call_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7;

CREATE FUNCTION permit_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE permit_counts SET n = n - 1
        WHERE issuer = COALESCE((SELECT issuer FROM calls WHERE id = OLD.call_id), 0) AND holder = OLD.holder
            AND crossing = OLD.crossing AND direction = OLD.direction AND status = OLD.status AND valid_to = OLD.valid_to
            AND used = CASE WHEN OLD.quantity_used = 0 THEN 0 WHEN OLD.quantity_used = OLD.quantity THEN 2 ELSE 1 END;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO permit_counts (issuer, holder, crossing, direction, status, valid_to, used, n)
        VALUES (COALESCE((SELECT issuer FROM calls WHERE id = NEW.call_id), 0), NEW.holder, NEW.crossing, NEW.direction,
            NEW.status, NEW.valid_to,
            CASE WHEN NEW.quantity_used = 0 THEN 0 WHEN NEW.quantity_used = NEW.quantity THEN 2 ELSE 1 END, 1)
        ON CONFLICT (issuer, holder, crossing, direction, status, valid_to, used) DO UPDATE SET n = permit_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER permit_counts_insert_delete AFTER INSERT OR DELETE ON permits
    FOR EACH ROW EXECUTE FUNCTION permit_counts_change();
CREATE TRIGGER permit_counts_update AFTER UPDATE ON permits
    FOR EACH ROW WHEN ((OLD.call_id, OLD.holder, OLD.crossing, OLD.direction, OLD.status, OLD.valid_to, OLD.quantity_used, OLD.quantity)
        IS DISTINCT FROM (NEW.call_id, NEW.holder, NEW.crossing, NEW.direction, NEW.status, NEW.valid_to, NEW.quantity_used, NEW.quantity))
    EXECUTE FUNCTION permit_counts_change();

-- The list's effective status (expired: a stored status, or issued or
-- suspended past the last day) read by status and last day.
CREATE INDEX permits_status ON permits (status, valid_to);
