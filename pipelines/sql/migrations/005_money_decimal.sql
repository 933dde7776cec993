-- 005: money as DECIMAL (#10): monthly gross wages to the cent, funding in EUR to the cent.
-- The query layer reads DECIMAL columns as floating point numbers (analytics/db.py query and
-- scalar), so KPI arithmetic stays in one numeric type; the warehouse keeps exact amounts.

ALTER TABLE participant ALTER COLUMN origin_wage TYPE DECIMAL(10, 2);
ALTER TABLE case_event ALTER COLUMN new_wage TYPE DECIMAL(10, 2);
ALTER TABLE funding ALTER COLUMN planned_eur TYPE DECIMAL(14, 2);
ALTER TABLE funding ALTER COLUMN spent_eur TYPE DECIMAL(14, 2);
