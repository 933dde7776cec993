-- Network KPI counts for every period of a calendar in one pass (design §4; issue #14).
-- $periods: list of {key, pstart, pend, counts} (quarters, years, the running total, any
-- span; counts = false: only the funding spent is wanted, no case is joined);
-- $scopes: list of {scope, ags} (the selected regions and, when asked, the whole network).
-- One row per scope and period; rates are formed from these counts in kpi.py. A case
-- belongs to a period's figures only if it entered by the period's end (every count
-- needs that), which the join uses to skip the rest. Funding per period on the same rows.
WITH periods AS (
    SELECT unnest($periods, recursive := true)
),
scopes AS (
    SELECT unnest($scopes, recursive := true)
),
cases AS (
    SELECT s.scope, c.*
    FROM case_summary AS c
    JOIN scopes AS s ON list_contains(s.ags, c.network_ags)
),
counts AS (
    SELECT
        s.scope,
        p.key,
        count(*) FILTER (WHERE c.entry_date BETWEEN p.pstart AND p.pend)              AS entries,
        count(*) FILTER (WHERE c.entry_date <= p.pend
                          AND (c.closed_date IS NULL OR c.closed_date > p.pend))      AS active_end,
        count(*) FILTER (WHERE c.job_start BETWEEN p.pstart AND p.pend)               AS transitions,
        count(*) FILTER (WHERE c.closed_date BETWEEN p.pstart AND p.pend)             AS closed,
        count(*) FILTER (WHERE c.job_start BETWEEN p.pstart AND p.pend AND c.seamless) AS seamless,
        median(c.job_start - c.entry_date)
            FILTER (WHERE c.job_start BETWEEN p.pstart AND p.pend)                    AS days_to_transition,
        count(*) FILTER (WHERE c.retention_date BETWEEN p.pstart AND p.pend)          AS retention_checks,
        count(*) FILTER (WHERE c.retention_date BETWEEN p.pstart AND p.pend
                          AND c.retained)                                             AS retained,
        median(c.wage_ratio) FILTER (WHERE c.job_start BETWEEN p.pstart AND p.pend)   AS wage_ratio,
        count(c.wage_ratio) FILTER (WHERE c.job_start BETWEEN p.pstart AND p.pend)    AS wage_pairs,
        count(*) FILTER (WHERE c.job_start BETWEEN p.pstart AND p.pend
                          AND c.wage_ratio >= $good)                                  AS wage_good,
        count(*) FILTER (WHERE c.job_start BETWEEN p.pstart AND p.pend
                          AND c.receiving_tarif)                                      AS into_tarif
    FROM scopes AS s
    CROSS JOIN periods AS p
    LEFT JOIN cases AS c ON c.scope = s.scope AND p.counts AND c.entry_date <= p.pend
    GROUP BY s.scope, p.key
),
spent AS (
    SELECT p.key, sum(f.spent_eur) AS spent_eur
    FROM periods AS p
    LEFT JOIN funding AS f ON f.quarter_start BETWEEN p.pstart AND p.pend
    GROUP BY p.key
)
SELECT counts.*, spent.spent_eur
FROM counts JOIN spent USING (key)
