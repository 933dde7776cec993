-- 008: the code of a Kreis's Agentur für Arbeit (#11).
--
-- BA tables by Agentur carry '<code> <name>' in their Agentur column; their rows are stored
-- with region_level = 'agentur' and ags = that code. The comparisons read an Agentur's
-- published row by this code (analytics/regional.py); a Kreis without one is compared by the
-- sum of its Agentur's Kreise.

ALTER TABLE region ADD COLUMN IF NOT EXISTS agentur_code VARCHAR;
