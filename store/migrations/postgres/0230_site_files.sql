-- Site files (docs/feasibility.md): an organisation's stock, supply, lines,
-- workers and power, as it uploaded them. Each upload is a new version; the
-- old ones stay. A version counts for the assessment of plans only once a
-- reviewer of the authority has accepted it (status accepted).
CREATE TABLE site_files (
    org_id        BIGINT NOT NULL REFERENCES organisations (id),
    version       INTEGER NOT NULL CHECK (version >= 1),
    format        TEXT NOT NULL CHECK (format IN ('yaml', 'json')),
    content       TEXT NOT NULL,
    digest        TEXT NOT NULL,
    sites         TEXT NOT NULL DEFAULT '[]',
    uploaded_by   TEXT NOT NULL,
    uploaded_at   TIMESTAMPTZ NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('claimed', 'accepted', 'rejected')),
    reviewed_by   TEXT NOT NULL DEFAULT '',
    reviewed_at   TIMESTAMPTZ,
    review_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (org_id, version),
    CHECK (status = 'claimed' OR (reviewed_by <> '' AND reviewed_at IS NOT NULL AND review_reason <> ''))
);
