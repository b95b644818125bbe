-- The authority's signing keys and the signed form of every permit
-- (package permitsig). A key signs until a newer one takes over (rotation);
-- a retired key's public half still verifies what it signed. One key at a
-- time is active: the partial unique index holds at most one row with no
-- retired_at.
CREATE TABLE signing_keys (
    id          TEXT PRIMARY KEY,
    public_key  TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    retired_at  TIMESTAMPTZ
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((retired_at IS NULL)) WHERE retired_at IS NULL;

CREATE TABLE permit_signatures (
    permit_id BIGINT PRIMARY KEY REFERENCES permits (id),
    key_id    TEXT NOT NULL REFERENCES signing_keys (id),
    signed    TEXT NOT NULL,
    signed_at TIMESTAMPTZ NOT NULL
);
