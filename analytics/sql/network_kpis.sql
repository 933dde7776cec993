-- Network KPI counts for the period [$start, $end] and the network regions in the list $ags.
-- Rates are formed from these counts in kpi.py.
WITH cases AS (
    SELECT * FROM case_summary
    WHERE list_contains($ags, network_ags)
),
in_period AS (
    SELECT *,
        entry_date BETWEEN $start AND $end            AS entered,
        job_start BETWEEN $start AND $end             AS transitioned,
        closed_date BETWEEN $start AND $end           AS closed,
        retention_date BETWEEN $start AND $end        AS checked
    FROM cases
)
SELECT
    count(*) FILTER (WHERE entered)                                             AS entries,
    count(*) FILTER (WHERE entry_date <= $end
                      AND (closed_date IS NULL OR closed_date > $end))          AS active_end,
    count(*) FILTER (WHERE transitioned)                                        AS transitions,
    count(*) FILTER (WHERE closed)                                              AS closed,
    count(*) FILTER (WHERE transitioned AND seamless)                           AS seamless,
    median(job_start - entry_date) FILTER (WHERE transitioned)                  AS days_to_transition,
    count(*) FILTER (WHERE checked)                                             AS retention_checks,
    count(*) FILTER (WHERE checked AND retained)                                AS retained,
    median(wage_ratio) FILTER (WHERE transitioned)                              AS wage_ratio,
    count(wage_ratio) FILTER (WHERE transitioned)                               AS wage_pairs,
    count(*) FILTER (WHERE transitioned AND wage_ratio >= $good)                AS wage_good,
    count(*) FILTER (WHERE transitioned AND receiving_tarif)                    AS into_tarif
FROM in_period
