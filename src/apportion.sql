--@ schema

CREATE TYPE kpi.apportioned AS (share numeric, capped boolean, remainder_step boolean);

COMMENT ON TYPE kpi.apportioned IS
'a row''s result of kpi.apportion_capped: its share, whether its cap bound, whether it took one of the leftover steps (PAY3)';
--@ functions

------------------------------------------------------------------------------
-- Exact apportionment (PAY3)
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.apportion(weight numeric, total numeric, step numeric DEFAULT 1)
RETURNS numeric AS 'MODULE_PATHNAME', 'apportion' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.apportion_capped(weight numeric, cap numeric, total numeric, step numeric DEFAULT 1)
RETURNS kpi.apportioned AS 'MODULE_PATHNAME', 'apportion_capped' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;

COMMENT ON FUNCTION kpi.apportion(numeric, numeric, numeric) IS
'window function: the row''s share of total split by weight within the window partition, in multiples of step (largest remainder, PAY3): each row gets its exact quota total x weight / sum(weight) rounded down to the step, the leftover steps go one each to the largest remainders, ties to the earlier row of the window''s ORDER BY; the shares add up to total exactly; a NULL weight gets NULL and is not counted';
COMMENT ON FUNCTION kpi.apportion_capped(numeric, numeric, numeric, numeric) IS
'window function: kpi.apportion with a per-row cap (NULL: none; taken down to a whole step): a row whose quota reaches its cap gets the cap and what it leaves is apportioned among the others, still by largest remainder; returns kpi.apportioned (share, capped, remainder_step); if every row with a weight is capped, the shares add up to less than total';
