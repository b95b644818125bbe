-- A write that records a protected row again first reads the digest the
-- chain last recorded of it (store/state_rows.go, redteam wave 7). The
-- audit log's state lists are indexed here, one row a name and entry, by a
-- trigger on every insert into the log, so that the read is a look-up
-- instead of a search of the whole log. 'tradeplan audit verify --state'
-- checks this index against the chain itself, so an index changed by hand
-- is reported, as a row changed by hand is. The same on SQLite.
CREATE TABLE audit_state_rows (
    name   TEXT NOT NULL,
    seq    BIGINT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (name, seq)
);

INSERT INTO audit_state_rows (name, seq, digest)
    SELECT DISTINCT ON (e.value->>'row', a.seq) e.value->>'row', a.seq, e.value->>'digest'
    FROM audit_log a, jsonb_array_elements(a.state::jsonb) WITH ORDINALITY AS e(value, n)
    WHERE a.state IS NOT NULL
    ORDER BY e.value->>'row', a.seq, e.n DESC;

CREATE FUNCTION audit_state_rows_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_state_rows (name, seq, digest)
        SELECT DISTINCT ON (e.value->>'row') e.value->>'row', NEW.seq, e.value->>'digest'
        FROM jsonb_array_elements(NEW.state::jsonb) WITH ORDINALITY AS e(value, n)
        ORDER BY e.value->>'row', e.n DESC;
    RETURN NULL;
END $$;

CREATE TRIGGER audit_state_rows_index AFTER INSERT ON audit_log
    FOR EACH ROW WHEN (NEW.state IS NOT NULL) EXECUTE FUNCTION audit_state_rows_index();
