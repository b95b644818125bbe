-- Declaration intake at a million rows a batch (docs/enforcement.md, "How a
-- batch is reconciled"). The foreign keys of declarations checked each row
-- with a trigger that locks the parent row: three locking queries per
-- declaration, most of the cost of a COPY. Intake itself guarantees what
-- they did, in the transaction that writes the rows and under the intake
-- lock: the batch row is inserted first, every declarant is read (and must
-- be in the officer's jurisdiction), every permit matched is read, and
-- organisations and permits are never deleted. A row changed or deleted
-- behind the store's back is still found by `tradeplan audit verify`.
ALTER TABLE declarations DROP CONSTRAINT IF EXISTS declarations_batch_id_fkey;
ALTER TABLE declarations DROP CONSTRAINT IF EXISTS declarations_declarant_fkey;
ALTER TABLE declarations DROP CONSTRAINT IF EXISTS declarations_permit_id_fkey;
-- A batch's declarations are paged through in date and number order.
DROP INDEX IF EXISTS declarations_batch;
CREATE INDEX declarations_batch_page ON declarations (batch_id, day, number);
