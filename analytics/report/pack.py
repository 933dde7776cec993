"""The quarterly report pack (#13): the page views of one quarter, region and language, built
with the signed-in role, so that the report holds the same numbers as the screen and only what
that role may see. The Excel workbook (``report.workbook``), the PDF (``report.pdf``) and the
machine-readable export (``report.export``) are all written from a ``ReportPack``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from analytics import db
from analytics.kpi import case_period, network_regions
from analytics.periods import Quarter
from analytics.regions import RegionPreset, region_presets
from analytics.settings import Settings
from analytics.views.automotive import automotive_view
from analytics.views.exchange import exchange_view
from analytics.views.flows import flows_view
from analytics.views.funding import funding_view
from analytics.views.model import View, ViewFilters
from analytics.views.overview import overview_view
from analytics.views.regions import regions_view
from analytics.views.rollout import rollout_view
from analytics.views.trends import trends_view

Builder = Callable[[duckdb.DuckDBPyConnection, Settings, ViewFilters], View]

# The sections in report order: KPIs against targets, funding, flows, then the labour market,
# the exchange and the rollout.
SECTIONS: tuple[tuple[str, Builder], ...] = (
    ("overview", overview_view),
    ("funding", funding_view),
    ("flows", flows_view),
    ("regions", regions_view),
    ("automotive", automotive_view),
    ("trends", trends_view),
    ("exchange", exchange_view),
    ("rollout", rollout_view),
)


class ReportError(ValueError):
    """A report that cannot be made from these arguments (unknown region, quarter …)."""


@dataclass(frozen=True)
class Section:
    key: str
    view: View


@dataclass(frozen=True)
class ReportPack:
    filters: ViewFilters
    quarter: Quarter
    sections: tuple[Section, ...]
    status: db.DataStatus

    @property
    def lang(self) -> str:
        return self.filters.lang

    @property
    def demo(self) -> bool:
        return self.status.is_demo or any(s.view.demo for s in self.sections)

    @property
    def protected(self) -> bool:
        return self.filters.protected

    def views(self) -> list[View]:
        return [s.view for s in self.sections]

    def file_stem(self) -> str:
        region = "".join(ch if ch.isalnum() else "_" for ch in self.filters.region_key)
        return f"quartalsbericht_{self.quarter.year}-Q{self.quarter.q}_{region}_{self.lang}"


def find_region(
    con: duckdb.DuckDBPyConnection, settings: Settings, region: str
) -> tuple[str, tuple[str, ...], RegionPreset | None]:
    """``region``: a preset key (hildesheim, agentur, network, land_03, all) or AGS codes
    separated by commas; returns (key, AGS, the preset or None)."""
    presets = {p.key: p for p in region_presets(con, network_regions(con, settings))}
    if region in presets:
        return region, presets[region].ags, presets[region]
    known = set(db.query(con, "SELECT ags FROM region")["ags"].to_list())
    wanted = tuple(dict.fromkeys(a.strip() for a in region.split(",") if a.strip()))
    if not wanted or any(a not in known for a in wanted):
        raise ReportError(
            f"Unbekannte Region / unknown region {region!r}; Regionen / regions: "
            + ", ".join(presets)
            + " oder AGS-Codes / or AGS codes (03254,03241)"
        )
    return "custom", wanted, None


def report_filters(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    quarter: str,
    region: str,
    lang: str = "de",
    role: str = "ministry",
    protected: bool = True,
) -> ViewFilters:
    """The filters of an unattended report, as the page would make them for that role."""
    if lang not in ("de", "en"):
        raise ReportError(f"Sprache / language must be de or en, not {lang!r}")
    try:
        parsed = Quarter.parse(quarter)
    except ValueError as exc:
        raise ReportError(f"Quartal / quarter {quarter!r}: {exc}") from exc
    period = case_period(con)
    if not 1 <= parsed.q <= 4:
        raise ReportError(f"Quartal / quarter {quarter!r}: Q1 … Q4, z. B. / e.g. 2026-Q3")
    if period is not None and parsed.start > period[1]:
        raise ReportError(
            f"Quartal / quarter {parsed.label()}: noch keine Daten / no data yet "
            f"(Falldaten bis / case data up to {period[1].isoformat()})"
        )
    key, ags, preset = find_region(con, settings, region)
    if preset is not None:
        label = preset.label(lang)
    else:
        names = dict(db.query(con, "SELECT ags, name FROM region").iter_rows())
        label = ", ".join(names[a] for a in ags[:4]) + (" …" if len(ags) > 4 else "")
    return ViewFilters(
        region_key=key,
        region_label=label,
        ags=ags,
        quarter=parsed.label(),
        lang=lang,
        protected=protected,
        data_until=period[1] if period else None,
        role=role,
    )


def build_pack(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    filters: ViewFilters,
    progress: Callable[[int, int, str], None] | None = None,
) -> ReportPack:
    """Every section's view for ``filters`` (page widgets at their defaults). ``progress``
    is told (done, total, section key) before each section is built."""
    sections = []
    for i, (key, builder) in enumerate(SECTIONS):
        if progress is not None:
            progress(i, len(SECTIONS), key)
        sections.append(Section(key, builder(con, settings, filters)))
    if progress is not None:
        progress(len(SECTIONS), len(SECTIONS), "")
    return ReportPack(filters, Quarter.parse(filters.quarter), tuple(sections), db.data_status(con))


def source_stand(pack: ReportPack) -> list[tuple[str, str]]:
    """(source, Stand) of every source, in the report's language (cover and footer)."""
    from analytics.formatting import fmt_date, fmt_month
    from analytics.messages import msg

    lang, status = pack.lang, pack.status
    return [
        (msg("report.ba_until", lang), fmt_month(status.labour_market_until, lang)),
        (msg("report.svb_until", lang), fmt_date(status.employment_until, lang)),
        (msg("report.cases_until", lang), fmt_date(status.cases_until, lang)),
        (msg("report.geo", lang), status.bkg_attribution() or msg("report.geo_none", lang)),
    ]


def stand_line(pack: ReportPack) -> str:
    """The short Stand for footers: the latest date of each source."""
    return " · ".join(f"{label} {value}" for label, value in source_stand(pack)[:3])
