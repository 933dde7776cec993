-- 001: the warehouse schema as it stood before numbered migrations (design §3). Every
-- statement is idempotent, so it also runs on a warehouse made before (no schema_version).

CREATE TABLE IF NOT EXISTS load_log (
    load_id      BIGINT,
    step         VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    row_counts   VARCHAR NOT NULL,        -- JSON object: table -> rows written
    status       VARCHAR NOT NULL,        -- loaded | unchanged
    loaded_at    TIMESTAMP NOT NULL,
    duration_s   DOUBLE
);

-- Rows rejected by any load, with the reason; nothing is dropped silently.
CREATE TABLE IF NOT EXISTS quarantine (
    load_id        BIGINT,                -- load_log.load_id of the load that rejected it
    step           VARCHAR NOT NULL,      -- pipeline step (ingest, cases, ...)
    source_file    VARCHAR NOT NULL,
    sheet          VARCHAR,               -- sheet name (Excel) or NULL (CSV)
    row_number     INTEGER,               -- 1-based row in the source file/sheet
    column_name    VARCHAR,
    reason         VARCHAR NOT NULL,      -- readable German/English message
    raw_values     VARCHAR,               -- JSON object of the row as read
    quarantined_at TIMESTAMP NOT NULL
);

-- Per sheet of every case-data import: read = loaded + quarantined,
-- loaded = new + updated + unchanged (pipelines/cases).
CREATE TABLE IF NOT EXISTS import_log (
    load_id          BIGINT NOT NULL,     -- load_log.load_id (time, source, content hash)
    step             VARCHAR NOT NULL,    -- cases | demo
    source_file      VARCHAR NOT NULL,
    sheet            VARCHAR NOT NULL,    -- sheet of the template (also for CSV files)
    target_table     VARCHAR NOT NULL,
    rows_read        INTEGER NOT NULL,
    rows_loaded      INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL,
    rows_new         INTEGER NOT NULL,
    rows_updated     INTEGER NOT NULL,
    rows_unchanged   INTEGER NOT NULL,
    dropped_columns  VARCHAR NOT NULL     -- JSON list of identifying columns not imported
);

-- Reference ---------------------------------------------------------------
CREATE TABLE IF NOT EXISTS region (
    ags        VARCHAR PRIMARY KEY,       -- 5-digit Kreis code
    name       VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,          -- Landkreis | Kreisfreie Stadt | Region
    land_code  VARCHAR NOT NULL,
    land_name  VARCHAR NOT NULL,
    agentur    VARCHAR NOT NULL,          -- Agentur für Arbeit (dated mapping, see valid_from)
    nuts3      VARCHAR,
    valid_from DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS occupation (   -- KldB 2010 (revised 2020)
    code     VARCHAR PRIMARY KEY,
    level    INTEGER NOT NULL,            -- 1 Berufsbereich .. 5 Berufsgattung
    title_de VARCHAR NOT NULL,
    title_en VARCHAR,
    parent   VARCHAR
);

CREATE TABLE IF NOT EXISTS sector (       -- WZ 2008
    code           VARCHAR PRIMARY KEY,
    level          VARCHAR NOT NULL,      -- section | division | group | class
    title_de       VARCHAR NOT NULL,
    title_en       VARCHAR,
    parent         VARCHAR,
    classification VARCHAR NOT NULL DEFAULT 'WZ2008'
);

CREATE TABLE IF NOT EXISTS automotive_chain (
    wz_code VARCHAR PRIMARY KEY,
    tier    VARCHAR NOT NULL               -- core | supplier
);

CREATE TABLE IF NOT EXISTS region_geometry (
    ags          VARCHAR PRIMARY KEY,
    geojson      VARCHAR NOT NULL,         -- WGS84 geometry as GeoJSON
    centroid_lon DOUBLE NOT NULL,
    centroid_lat DOUBLE NOT NULL,
    source       VARCHAR NOT NULL,
    edition      VARCHAR                   -- e.g. 01.01.2021 (BKG 'Aktualität')
);

-- BA statistics (long format) ----------------------------------------------
CREATE TABLE IF NOT EXISTS fact_labour_market (
    ags            VARCHAR NOT NULL,
    period         DATE NOT NULL,          -- first day of the reporting month
    kldb           VARCHAR NOT NULL,       -- KldB code, 'TOTAL' for all occupations
    measure        VARCHAR NOT NULL,       -- unemployed | vacancies
    value          DOUBLE,                 -- NULL when the source suppressed or lacks it
    flag           VARCHAR,                -- suppressed | na | NULL
    reference_date DATE,
    source_file    VARCHAR NOT NULL,
    content_hash   VARCHAR NOT NULL,
    publication    VARCHAR NOT NULL,
    loaded_at      TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS fact_employment (
    ags            VARCHAR NOT NULL,
    reference_date DATE NOT NULL,          -- quarter-end date (31.03., 30.06., ...)
    wz             VARCHAR NOT NULL,       -- WZ code, 'TOTAL' for all sectors
    measure        VARCHAR NOT NULL,       -- svb
    value          DOUBLE,
    flag           VARCHAR,
    source_file    VARCHAR NOT NULL,
    content_hash   VARCHAR NOT NULL,
    publication    VARCHAR NOT NULL,
    loaded_at      TIMESTAMP NOT NULL
);

-- Network case data (pseudonymous) -------------------------------------------
CREATE TABLE IF NOT EXISTS firm (
    firm_id              VARCHAR PRIMARY KEY,
    name                 VARCHAR NOT NULL,
    role                 VARCHAR NOT NULL,  -- releasing | receiving | both
    wz                   VARCHAR,           -- WZ division
    ags                  VARCHAR NOT NULL,
    size_class           VARCHAR,
    collective_agreement BOOLEAN,
    works_council        BOOLEAN,
    lon                  DOUBLE,
    lat                  DOUBLE
);

CREATE TABLE IF NOT EXISTS firm_need (
    firm_id   VARCHAR NOT NULL,
    need_date DATE NOT NULL,
    kind      VARCHAR NOT NULL,             -- cut | need
    kldb      VARCHAR,
    count     INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS participant (
    case_id          VARCHAR PRIMARY KEY,   -- keyed hash of the network's case id
    releasing_firm   VARCHAR NOT NULL,
    home_ags         VARCHAR NOT NULL,
    age_group        VARCHAR,
    gender           VARCHAR,               -- m | w | d
    entry_date       DATE NOT NULL,
    old_job_end_date DATE,                  -- last day of the old employment (notice end)
    origin_kldb      VARCHAR,
    origin_wage      DOUBLE                 -- monthly gross EUR, optional
);

CREATE TABLE IF NOT EXISTS case_event (
    case_id        VARCHAR NOT NULL,
    event_date     DATE NOT NULL,
    event          VARCHAR NOT NULL,        -- entry | counselling | qualification_start | qualification_end
                                            -- | placement_proposal | trial_work | job_start | exit
                                            -- | unemployed | retention_check
    receiving_firm VARCHAR,                 -- job_start only
    target_kldb    VARCHAR,                 -- job_start only
    new_wage       DOUBLE,                  -- job_start only, monthly gross EUR
    retained       BOOLEAN                  -- retention_check only
);

CREATE TABLE IF NOT EXISTS funding (
    quarter_start DATE PRIMARY KEY,
    planned_eur   DOUBLE NOT NULL,
    spent_eur     DOUBLE                    -- NULL for future quarters
);

-- BA and Regionaldatenbank statistics (#3): provenance, breakdowns and the ingest report.

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
