"""Page views (design §2): for each page one Streamlit-free function builds a typed view from
explicit filters; the page renders it (app_pages/render.py) and the Excel download is written from
the same view (analytics.views.workbook), so screen and Excel cannot disagree.

``model`` holds the types, ``workbook`` the Excel writer, one module per page the builder
(``overview.overview_view``). Builders take ``(con, settings, filters)`` with a ``ViewFilters``
of plain values, so that pages can cache them by those values.
"""
