-- BA and Regionaldatenbank statistics (#3): provenance, breakdowns and the ingest report.
-- Runs after schema.sql on every staging open; every statement is idempotent.

-- Breakdown columns of the facts. Rows with breakdown <> 'TOTAL' are sub-counts
-- (Anforderungsniveau, Vollzeit/Teilzeit, Berufsabschluss, Männer/Frauen): filter
-- breakdown = 'TOTAL' for totals. region_level: kreis | agentur | land.
ALTER TABLE fact_labour_market ADD COLUMN IF NOT EXISTS region_level VARCHAR DEFAULT 'kreis';
ALTER TABLE fact_labour_market ADD COLUMN IF NOT EXISTS breakdown VARCHAR DEFAULT 'TOTAL';
ALTER TABLE fact_labour_market ADD COLUMN IF NOT EXISTS classification VARCHAR DEFAULT 'KldB2010';
ALTER TABLE fact_labour_market ADD COLUMN IF NOT EXISTS vintage DATE;  -- date the file states it was made
ALTER TABLE fact_employment ADD COLUMN IF NOT EXISTS region_level VARCHAR DEFAULT 'kreis';
ALTER TABLE fact_employment ADD COLUMN IF NOT EXISTS breakdown VARCHAR DEFAULT 'TOTAL';
ALTER TABLE fact_employment ADD COLUMN IF NOT EXISTS classification VARCHAR DEFAULT 'WZ2008';
ALTER TABLE fact_employment ADD COLUMN IF NOT EXISTS vintage DATE;

-- Arbeitsmarktreport 'Eckwerte': headline values of one region and month.
CREATE TABLE IF NOT EXISTS fact_headline (
    ags            VARCHAR NOT NULL,
    region_level   VARCHAR NOT NULL,
    period         DATE NOT NULL,          -- first day of the reporting month
    indicator      VARCHAR NOT NULL,       -- unemployed | vacancies | unemployment_rate | slug of the label
    label_de       VARCHAR NOT NULL,       -- label as published (section – row)
    unit           VARCHAR NOT NULL,       -- persons | percent
    value          DOUBLE,
    flag           VARCHAR,
    reference_date DATE,
    vintage        DATE,
    source_file    VARCHAR NOT NULL,
    content_hash   VARCHAR NOT NULL,
    publication    VARCHAR NOT NULL,
    loaded_at      TIMESTAMP NOT NULL
);

-- Regionaldatenbank (GENESIS 'regio') values, one per table × value variable × region × time.
CREATE TABLE IF NOT EXISTS fact_regio (
    statistic_code  VARCHAR NOT NULL,      -- e.g. 13211-02-05-4 / 13211
    statistic_label VARCHAR,
    value_code      VARCHAR,               -- value variable, e.g. ERWP01
    value_label     VARCHAR,
    ags             VARCHAR NOT NULL,
    region_level    VARCHAR NOT NULL,      -- kreis | land | bund | regbez
    period_label    VARCHAR NOT NULL,      -- time as published (2023, 30.06.2023)
    reference_date  DATE NOT NULL,         -- the date, or 31.12. of a year
    breakdown       VARCHAR NOT NULL,      -- other variables 'GES=GESM|…' or 'TOTAL'
    value           DOUBLE,
    unit            VARCHAR,
    flag            VARCHAR,               -- NULL reason: unknown_or_secret | not_yet | unreliable | blocked
    quality         VARCHAR,               -- provisional | revised | estimated
    vintage         DATE,
    source_file     VARCHAR NOT NULL,
    content_hash    VARCHAR NOT NULL,
    publication     VARCHAR NOT NULL,
    loaded_at       TIMESTAMP NOT NULL
);

-- One row per ingested file: what was detected, loaded, replaced, reconciled and warned.
CREATE TABLE IF NOT EXISTS ingest_report (
    load_id         BIGINT,                -- load_log.load_id
    source_file     VARCHAR NOT NULL,
    content_hash    VARCHAR NOT NULL,
    family          VARCHAR NOT NULL,
    reference_dates VARCHAR NOT NULL,      -- ISO dates, comma-separated
    vintage         DATE,
    rows_loaded     BIGINT NOT NULL,
    rows_replaced   BIGINT NOT NULL,       -- older rows of the same keys replaced (revision)
    rows_kept_newer BIGINT NOT NULL,       -- rows not loaded: a newer vintage is already there
    rows_quarantined BIGINT NOT NULL,
    revision        VARCHAR,               -- which earlier files were revised, or NULL
    reconciliation  VARCHAR NOT NULL,      -- ok | difference | none
    reconciliation_detail VARCHAR NOT NULL,
    warnings        VARCHAR NOT NULL,      -- JSON list of messages
    loaded_at       TIMESTAMP NOT NULL
);
