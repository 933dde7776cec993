-- One row per transition (job start in [$start, $end]) of cases from the network regions $ags:
-- where the person came from (releasing firm's WZ division, origin KldB, home Kreis) and
-- went to (receiving firm's WZ division and section, target KldB, Kreis), wage ratio, tarif.
WITH target AS (
    SELECT case_id, arg_min(target_kldb, event_date) AS target_kldb
    FROM case_event
    WHERE event = 'job_start'
    GROUP BY case_id
)
SELECT
    cs.case_id,
    cs.network_ags,
    cs.releasing_wz,
    p.home_ags,
    hr.land_code                  AS home_land,
    p.origin_kldb,
    tf.wz                         AS receiving_wz,
    rs.parent                     AS receiving_section,
    tf.ags                        AS receiving_ags,
    rr.land_code                  AS receiving_land,
    t.target_kldb,
    cs.wage_ratio,
    coalesce(cs.receiving_tarif, false) AS receiving_tarif
FROM case_summary AS cs
JOIN participant AS p ON p.case_id = cs.case_id
JOIN firm AS tf ON tf.firm_id = cs.receiving_firm
LEFT JOIN target AS t ON t.case_id = cs.case_id
LEFT JOIN region AS hr ON hr.ags = p.home_ags
LEFT JOIN region AS rr ON rr.ags = tf.ags
LEFT JOIN sector AS rs ON rs.code = tf.wz AND rs.level = 'division'
WHERE cs.job_start BETWEEN $start AND $end
  AND list_contains($ags, cs.network_ags)
ORDER BY cs.case_id
