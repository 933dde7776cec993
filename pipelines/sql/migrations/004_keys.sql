-- 004: natural keys and closed value sets of the case data (#10).
--
-- Closed sets as ENUMs (values in name order, so ORDER BY still sorts as text; they must
-- equal pipelines/cases/schema.py, tests/test_migrations.py checks it). Money stays DOUBLE
-- for now: as DECIMAL the query layer receives Python Decimals, which its KPI arithmetic
-- does not take (README, "Schema and migrations").
-- Natural keys: firm, participant and funding have their PRIMARY KEY since 001; case events
-- get theirs here; needs a UNIQUE index (kldb may be empty, and the importer matches empty
-- as equal, so the index guards the rows with a KldB and the merge the others). The fact
-- tables' keys are declared in table_key and checked by the merge (pipelines/merge.py),
-- not as PRIMARY KEY: measured, a key index on 600,000 fact rows costs about 1 s per load
-- (the whole ingest takes about 1 s) and makes the file ten times larger (README).

ALTER TABLE firm ALTER COLUMN role TYPE ENUM('both', 'receiving', 'releasing');
ALTER TABLE firm_need ALTER COLUMN kind TYPE ENUM('cut', 'need');
ALTER TABLE participant ALTER COLUMN gender TYPE ENUM('d', 'm', 'w');
ALTER TABLE case_event ALTER COLUMN event TYPE ENUM(
    'counselling', 'entry', 'exit', 'job_start', 'placement_proposal', 'qualification_end',
    'qualification_start', 'retention_check', 'trial_work', 'unemployed'
);

ALTER TABLE case_event ADD PRIMARY KEY (case_id, event_date, event);
CREATE UNIQUE INDEX IF NOT EXISTS firm_need_key ON firm_need (firm_id, need_date, kind, kldb);

-- Every loaded table, its natural key and its write disposition (replace | merge | append).
CREATE TABLE table_key (
    table_name        VARCHAR PRIMARY KEY,
    key_columns       VARCHAR[] NOT NULL,
    write_disposition ENUM('append', 'merge', 'replace') NOT NULL,
    enforced_by       VARCHAR NOT NULL      -- primary key | unique index | merge (checked there) | none
);
INSERT INTO table_key VALUES
    ('region', ['ags'], 'replace', 'primary key'),
    ('occupation', ['code'], 'replace', 'primary key'),
    ('sector', ['code'], 'replace', 'primary key'),
    ('automotive_chain', ['wz_code'], 'replace', 'primary key'),
    ('region_geometry', ['ags'], 'replace', 'primary key'),
    ('fact_labour_market', ['ags', 'period', 'kldb', 'measure', 'breakdown'], 'merge', 'merge'),
    ('fact_employment', ['ags', 'reference_date', 'wz', 'measure', 'breakdown'], 'merge', 'merge'),
    ('fact_headline', ['ags', 'period', 'indicator'], 'merge', 'merge'),
    ('fact_regio', ['statistic_code', 'value_code', 'ags', 'period_label', 'breakdown'], 'merge', 'merge'),
    ('firm', ['firm_id'], 'merge', 'primary key'),
    ('firm_need', ['firm_id', 'need_date', 'kind', 'kldb'], 'merge', 'unique index'),
    ('participant', ['case_id'], 'merge', 'primary key'),
    ('case_event', ['case_id', 'event_date', 'event'], 'merge', 'primary key'),
    ('funding', ['quarter_start'], 'merge', 'primary key'),
    ('load_log', ['load_id'], 'append', 'primary key'),
    ('quarantine', [], 'append', 'none'),
    ('import_log', ['load_id', 'sheet'], 'append', 'none'),
    ('ingest_report', ['load_id'], 'append', 'none');
