-- Exact figures (docs/quantities.md): every quantity, value, cap and use
-- becomes NUMERIC. A DOUBLE PRECISION value converts through its text,
-- which PostgreSQL writes as the shortest decimal that reads back as the
-- same float: nothing is lost, and 222693.7 stays 222693.7.
ALTER TABLE line_decisions
    ALTER COLUMN quantity TYPE NUMERIC USING quantity::text::numeric,
    ALTER COLUMN val      TYPE NUMERIC USING val::text::numeric;

ALTER TABLE permits
    ALTER COLUMN quantity      TYPE NUMERIC USING quantity::text::numeric,
    ALTER COLUMN val           TYPE NUMERIC USING val::text::numeric,
    ALTER COLUMN quantity_used TYPE NUMERIC USING quantity_used::text::numeric,
    ALTER COLUMN value_used    TYPE NUMERIC USING value_used::text::numeric;

ALTER TABLE permit_caps
    ALTER COLUMN cap_limit TYPE NUMERIC USING cap_limit::text::numeric,
    ALTER COLUMN quantity  TYPE NUMERIC USING quantity::text::numeric,
    ALTER COLUMN used      TYPE NUMERIC USING used::text::numeric,
    ALTER COLUMN remaining TYPE NUMERIC USING remaining::text::numeric;

ALTER TABLE permit_uses
    ALTER COLUMN quantity TYPE NUMERIC USING quantity::text::numeric,
    ALTER COLUMN val      TYPE NUMERIC USING val::text::numeric;
