"""Network case data: import template, validation, pseudonymisation, incremental loads.

``schema`` describes the format once; ``template`` writes the workbook; ``read`` reads
workbooks and CSV files; ``rules`` parses values; ``importer`` validates and merges.
"""
