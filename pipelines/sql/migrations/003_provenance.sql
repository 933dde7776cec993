-- 003: provenance owned, not reconstructed (#10). load_log gets its key and the message of a
-- rejected file; every fact and case-data row the load_id that last wrote it; JSON and lists
-- get their own types. Rows of a warehouse made before get the load id reconstructed once
-- here (facts: the ingest report of their file; case data: the latest case or demo load).

ALTER TABLE load_log ADD COLUMN IF NOT EXISTS message VARCHAR;   -- why a file was rejected
ALTER TABLE load_log ALTER COLUMN row_counts TYPE JSON;
ALTER TABLE load_log ALTER COLUMN status TYPE ENUM('loaded', 'rejected', 'unchanged');
ALTER TABLE load_log ALTER COLUMN load_id SET NOT NULL;
ALTER TABLE load_log ADD PRIMARY KEY (load_id);

ALTER TABLE quarantine ALTER COLUMN raw_values TYPE JSON;
ALTER TABLE import_log ALTER COLUMN dropped_columns TYPE VARCHAR[] USING CAST(dropped_columns AS VARCHAR[]);
ALTER TABLE ingest_report ALTER COLUMN warnings TYPE JSON;
ALTER TABLE ingest_report ALTER COLUMN reference_dates TYPE DATE[]
    USING CASE WHEN reference_dates = '' THEN []::DATE[]
               ELSE CAST(string_split(reference_dates, ',') AS DATE[]) END;

ALTER TABLE fact_labour_market ADD COLUMN IF NOT EXISTS load_id BIGINT;
ALTER TABLE fact_employment ADD COLUMN IF NOT EXISTS load_id BIGINT;
ALTER TABLE fact_headline ADD COLUMN IF NOT EXISTS load_id BIGINT;
ALTER TABLE fact_regio ADD COLUMN IF NOT EXISTS load_id BIGINT;

UPDATE fact_labour_market f SET load_id = r.load_id
FROM (SELECT content_hash, max(load_id) AS load_id FROM ingest_report GROUP BY content_hash) r
WHERE f.content_hash = r.content_hash AND f.load_id IS NULL;
UPDATE fact_employment f SET load_id = r.load_id
FROM (SELECT content_hash, max(load_id) AS load_id FROM ingest_report GROUP BY content_hash) r
WHERE f.content_hash = r.content_hash AND f.load_id IS NULL;
UPDATE fact_headline f SET load_id = r.load_id
FROM (SELECT content_hash, max(load_id) AS load_id FROM ingest_report GROUP BY content_hash) r
WHERE f.content_hash = r.content_hash AND f.load_id IS NULL;
UPDATE fact_regio f SET load_id = r.load_id
FROM (SELECT content_hash, max(load_id) AS load_id FROM ingest_report GROUP BY content_hash) r
WHERE f.content_hash = r.content_hash AND f.load_id IS NULL;

ALTER TABLE firm ADD COLUMN IF NOT EXISTS load_id BIGINT;
ALTER TABLE firm_need ADD COLUMN IF NOT EXISTS load_id BIGINT;
ALTER TABLE participant ADD COLUMN IF NOT EXISTS load_id BIGINT;
ALTER TABLE case_event ADD COLUMN IF NOT EXISTS load_id BIGINT;
ALTER TABLE funding ADD COLUMN IF NOT EXISTS load_id BIGINT;

CREATE TEMP TABLE _case_load AS
SELECT max(load_id) AS load_id FROM load_log WHERE step IN ('cases', 'demo') AND status = 'loaded';
UPDATE firm SET load_id = (SELECT load_id FROM _case_load) WHERE load_id IS NULL;
UPDATE firm_need SET load_id = (SELECT load_id FROM _case_load) WHERE load_id IS NULL;
UPDATE participant SET load_id = (SELECT load_id FROM _case_load) WHERE load_id IS NULL;
UPDATE case_event SET load_id = (SELECT load_id FROM _case_load) WHERE load_id IS NULL;
UPDATE funding SET load_id = (SELECT load_id FROM _case_load) WHERE load_id IS NULL;
DROP TABLE _case_load;
