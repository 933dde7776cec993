-- 006: what the Arbeitsmarktdrehscheibe needs of each announced cut and need (#14).
--
-- effective_date: the day the cut or need takes effect (empty in older files: the query layer
-- then takes the reporting date, need_date); status: open | partly | filled | withdrawn
-- (empty: open); training: a need offers training on the job (needs only; empty: unknown);
-- wage: the monthly gross wage a need offers, a hint for the matching (optional; DECIMAL
-- like the other wages since 005, read as floating point by the query layer).
-- The closed set is an ENUM in name order, equal to pipelines/cases/schema.py NEED_STATUS.

ALTER TABLE firm_need ADD COLUMN IF NOT EXISTS effective_date DATE;
ALTER TABLE firm_need ADD COLUMN IF NOT EXISTS status ENUM('filled', 'open', 'partly', 'withdrawn');
ALTER TABLE firm_need ADD COLUMN IF NOT EXISTS training BOOLEAN;
ALTER TABLE firm_need ADD COLUMN IF NOT EXISTS wage DECIMAL(10, 2);
