-- 007: how many persons of an announced cut or need are already settled (#14).
--
-- filled: of ``count``, the persons already placed (a need) or already moved on (a cut);
-- empty in older files and rows = 0. The exchange counts only the open remainder
-- count - filled of an open or partly filled announcement (analytics/exchange.py).

ALTER TABLE firm_need ADD COLUMN IF NOT EXISTS filled INTEGER;
