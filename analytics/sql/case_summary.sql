-- One row per case: dates and outcome of the network's participants (design §4).
-- Region of a case = Kreis of the releasing firm (the network region it belongs to).
WITH ev AS (
    SELECT
        case_id,
        min(event_date) FILTER (WHERE event = 'job_start')                 AS job_start,
        min(event_date) FILTER (WHERE event = 'exit')                      AS exit_date,
        min(event_date) FILTER (WHERE event = 'unemployed')                AS first_unemployed,
        arg_min(new_wage, event_date) FILTER (WHERE event = 'job_start')   AS new_wage,
        arg_min(receiving_firm, event_date) FILTER (WHERE event = 'job_start') AS receiving_firm,
        min(event_date) FILTER (WHERE event = 'retention_check')           AS retention_date,
        arg_min(retained, event_date) FILTER (WHERE event = 'retention_check') AS retained
    FROM case_event
    GROUP BY case_id
)
SELECT
    p.case_id,
    rf.ags                                        AS network_ags,
    rf.wz                                         AS releasing_wz,
    p.entry_date,
    p.old_job_end_date,
    p.origin_wage,
    ev.job_start,
    ev.exit_date,
    CASE WHEN ev.job_start IS NOT NULL THEN ev.job_start ELSE ev.exit_date END AS closed_date,
    (ev.job_start IS NOT NULL
        AND p.old_job_end_date IS NOT NULL
        AND ev.job_start <= p.old_job_end_date + 1
        AND (ev.first_unemployed IS NULL OR ev.first_unemployed >= ev.job_start)) AS seamless,
    ev.new_wage / nullif(p.origin_wage, 0)        AS wage_ratio,
    ev.receiving_firm,
    tf.collective_agreement                       AS receiving_tarif,
    ev.retention_date,
    ev.retained
FROM participant AS p
JOIN firm AS rf ON rf.firm_id = p.releasing_firm
LEFT JOIN ev ON ev.case_id = p.case_id
LEFT JOIN firm AS tf ON tf.firm_id = ev.receiving_firm
