"""BA and Regionaldatenbank statistics: detect the publication family of a file, parse it,
reconcile it with its own totals and load it with provenance (issue #3).

Modules: constants (sheet names, label patterns, symbols), cells (cleaning), reader (Excel
grids via calamine, CSV text), detect (family by content), excel_table / ba_tables (shared
table engine), one module per family (ba_labour_market, ba_employment, ba_eckwerte,
ba_datenbank, regio), reconcile, ingest (orchestration and loading), writers (the published
layouts, for demo and benchmark), genesis (optional online fetch).
"""
