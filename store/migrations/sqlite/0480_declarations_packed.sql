-- Declaration intake at a million rows a batch (docs/enforcement.md, "How a
-- batch is reconciled"; docs/storage.md): a declaration's row keeps as
-- columns what queries filter, sort or join on, and packs the other
-- eighteen into one text column (store/declarations_packed.go), half the
-- work of an insert. The step below, in Go, packs every row there is, each
-- field as the text its column's digest read: a row digests as before, so
-- the audit entries that recorded declarations still verify.
CREATE TABLE declarations_0480 (
    id         INTEGER PRIMARY KEY,
    number     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    batch_id   TEXT NOT NULL,
    day        TIMESTAMP NOT NULL,
    declarant  INTEGER NOT NULL,
    permit_id  INTEGER,
    flags      TEXT NOT NULL DEFAULT '[]',
    is_current INTEGER NOT NULL DEFAULT 1,
    packed     TEXT NOT NULL
);
-- go: pack_declarations
DROP TABLE declarations;
ALTER TABLE declarations_0480 RENAME TO declarations;
CREATE UNIQUE INDEX declarations_one_current ON declarations (number) WHERE is_current;
CREATE INDEX declarations_permit ON declarations (permit_id) WHERE is_current;
CREATE INDEX declarations_batch_page ON declarations (batch_id, day, number);
