-- A write that records a protected row again first reads the digest the
-- chain last recorded of it (store/state_rows.go, redteam wave 7). The
-- audit log's state lists are indexed here, one row a name and entry, by a
-- trigger on every insert into the log, so that the read is a look-up
-- instead of a text search of the whole log. 'tradeplan audit verify
-- --state' checks this index against the chain itself, so an index changed
-- by hand is reported, as a row changed by hand is. The same on PostgreSQL.
CREATE TABLE audit_state_rows (
    name   TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (name, seq)
) WITHOUT ROWID;

INSERT OR REPLACE INTO audit_state_rows (name, seq, digest)
    SELECT json_extract(j.value, '$.row'), a.seq, json_extract(j.value, '$.digest')
    FROM audit_log a, json_each(a.state) j
    WHERE a.state IS NOT NULL AND json_valid(a.state)
    ORDER BY a.seq, j.id;

CREATE TRIGGER audit_state_rows_index AFTER INSERT ON audit_log
WHEN NEW.state IS NOT NULL
BEGIN
    INSERT OR REPLACE INTO audit_state_rows (name, seq, digest)
        SELECT json_extract(value, '$.row'), NEW.seq, json_extract(value, '$.digest')
        FROM json_each(NEW.state) ORDER BY id;
END;
