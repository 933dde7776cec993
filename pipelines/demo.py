"""Deterministic demo data: BA statistics for 47 Kreise and the network's case data.

Everything is drawn from one seeded generator, so the same settings give the same
warehouse. Firm names are fictional; the UI labels all of it as demo data.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from analytics.settings import DemoSettings, Settings
from pipelines import demo_profiles as P
from pipelines.cases import schema as case_schema
from pipelines.cases.importer import IMPORTER_VERSION, import_replacing
from pipelines.cases.read import read_path
from pipelines.cases.rules import pseudonym
from pipelines.cases.template import write_template
from pipelines.sessions import LoadSession
from pipelines.warehouse import PipelineError, StepResult, hash_bytes, run_step

GENERATOR_VERSION = "2"
AGE_GROUPS = case_schema.AGE_GROUPS
DEMO_WORKBOOK = "falldaten_demo.xlsx"
AGE_WEIGHTS = (0.06, 0.22, 0.27, 0.28, 0.17)


def month_starts(first: date, last: date) -> list[date]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def default_last_month(today: date) -> date:
    """The BA publishes a month's figures at its end: the latest month is the previous one."""
    first_of_this = today.replace(day=1)
    return (first_of_this - timedelta(days=1)).replace(day=1)


def quarter_ends(first: date, last: date) -> list[date]:
    ends = []
    for year in range(first.year, last.year + 1):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            end = date(year, month, day)
            if first <= end <= last:
                ends.append(end)
    return ends


def month_end(month: date) -> date:
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


@dataclass(frozen=True)
class DemoPlan:
    """Resolved demo parameters (dates fixed), hashed for idempotence."""

    settings: DemoSettings
    last_month: date

    @property
    def data_until(self) -> date:
        return month_end(self.last_month)

    def fingerprint(self, regions: list[str], occupations: list[str], sectors: list[str]) -> str:
        payload = {
            "version": GENERATOR_VERSION,
            # the generator's own code: a change to it is a change of content
            "code": hash_bytes(
                Path(__file__).read_bytes(), Path(P.__file__).read_bytes(), *statistics_code()
            ),
            "settings": json.loads(self.settings.model_dump_json()),
            "last_month": self.last_month.isoformat(),
            "codes": [regions, occupations, sectors],
        }
        return hash_bytes(json.dumps(payload, sort_keys=True).encode())


def _suppress_small(frame: pl.DataFrame) -> pl.DataFrame:
    """Mimic the BA's publication: counts of 1 or 2 appear as '*' (NULL, flag suppressed)."""
    small = pl.col("value").is_between(1, 2)
    return frame.with_columns(
        flag=pl.when(small).then(pl.lit("suppressed")).otherwise(pl.lit(None, pl.String)),
        value=pl.when(small).then(None).otherwise(pl.col("value")),
    )


def with_published_rows(frame: pl.DataFrame, agenturen: dict[str, str] | None) -> pl.DataFrame:
    """Add the rows the BA publishes above the Kreise: per Land (code '03', '04') and per
    Agentur für Arbeit (its code, ``agenturen``: AGS -> Agentur code), summed from the exact
    Kreis counts before any '*' (as the BA does: a Land value is known where a Kreis is
    withheld). ``region_level`` says which row is which."""
    keys = [c for c in frame.columns if c not in ("ags", "value")]
    kreise = frame.with_columns(region_level=pl.lit("kreis"))
    lands = (
        frame.group_by(pl.col("ags").str.slice(0, 2), *keys, maintain_order=True)
        .agg(pl.col("value").sum())
        .with_columns(region_level=pl.lit("land"))
    )
    parts = [kreise, lands.select(kreise.columns)]
    if agenturen:
        agencies = (
            frame.filter(pl.col("ags").is_in(list(agenturen)))
            .with_columns(pl.col("ags").replace_strict(agenturen))
            .group_by("ags", *keys, maintain_order=True)
            .agg(pl.col("value").sum())
            .with_columns(region_level=pl.lit("agentur"))
        )
        parts.append(agencies.select(kreise.columns))
    return pl.concat(parts)


def labour_market_frame(
    rng: np.random.Generator,
    plan: DemoPlan,
    regions: list[str],
    occupations: list[str],
    agenturen: dict[str, str] | None = None,
) -> pl.DataFrame:
    """Monthly unemployed and registered vacancies by Kreis and KldB Berufsgruppe, with the
    Land and Agentur rows (``with_published_rows``)."""
    months = month_starts(plan.settings.first_month, plan.last_month)
    n_m, n_r, n_o = len(months), len(regions), len(occupations)
    profile = np.array([P.KREIS_PROFILE[a] for a in regions], dtype=float)
    land_nds = np.array([a.startswith("03") for a in regions])
    scale = np.where(land_nds, 270_000 / profile[land_nds, 0].sum(), 1.0)
    base_unemployed = profile[:, 0] * scale

    t = np.array([(m.year - 2025) * 12 + m.month - 12 for m in months], dtype=float)  # 0 = Dec 25
    season = 1 + 0.045 * np.cos(2 * np.pi * (np.array([m.month for m in months]) - 1.5) / 12)
    trend_u = (1 + 0.045 * t / 12) * season
    trend_v = (1 - 0.07 * t / 12) * (2 - season)

    weights = np.array([P.OCCUPATION_WEIGHT.get(o[:2], 1.0) for o in occupations])
    automotive = np.isin(occupations, P.AUTOMOTIVE_OCCUPATIONS)
    core = np.array([P.AUTOMOTIVE_CORE_SHARE.get(a, 0.01) for a in regions])
    boost = np.array([P.SUPPLIER_BOOST.get(a, 1.0) for a in regions])
    mix = weights[None, :] * rng.gamma(8.0, 1 / 8.0, size=(n_r, n_o))
    mix = np.where(automotive[None, :], mix * (1 + 6 * core[:, None]) * boost[:, None] ** 0.5, mix)
    share_u = mix / mix.sum(axis=1, keepdims=True)
    vac_mix = mix * rng.gamma(3.0, 1 / 3.0, size=(n_r, n_o))
    share_v = vac_mix / vac_mix.sum(axis=1, keepdims=True)
    # automotive occupations lose faster from 2025 on
    # (relative to December 2025, the calibration month)
    auto_push = 1 + np.where(automotive, 0.10, 0.0)[None, :] * t[:, None] / 12

    lam_u = base_unemployed[None, :, None] * trend_u[:, None, None] * share_u[None, :, :]
    lam_u = lam_u * auto_push[:, None, :]
    lam_v = (base_unemployed / profile[:, 2])[None, :, None] * trend_v[:, None, None] * share_v
    unemployed = rng.poisson(lam_u)
    vacancies = rng.poisson(lam_v)

    idx_m, idx_r, idx_o = np.meshgrid(np.arange(n_m), np.arange(n_r), np.arange(n_o), indexing="ij")
    period = pl.Series("period", months).gather(idx_m.ravel())
    detail = pl.DataFrame(
        {
            "ags": pl.Series(regions).gather(idx_r.ravel()),
            "period": period,
            "kldb": pl.Series(occupations).gather(idx_o.ravel()),
            "unemployed": unemployed.ravel(),
            "vacancies": vacancies.ravel(),
        }
    )
    totals = detail.group_by("ags", "period").agg(pl.col("unemployed", "vacancies").sum())
    totals = totals.with_columns(kldb=pl.lit("TOTAL")).select(detail.columns)
    long = pl.concat([detail, totals]).unpivot(
        index=["ags", "period", "kldb"], variable_name="measure", value_name="value"
    )
    long = long.with_columns(
        pl.col("value").cast(pl.Float64),
        reference_date=pl.col("period").dt.offset_by("12d"),
    )
    return _suppress_small(with_published_rows(long, agenturen))


def employment_frame(
    rng: np.random.Generator,
    plan: DemoPlan,
    regions: list[str],
    sectors: pl.DataFrame,
    agenturen: dict[str, str] | None = None,
) -> pl.DataFrame:
    """Quarter-end SvB at place of work by Kreis and WZ division, with the Land and Agentur
    rows (``with_published_rows``)."""
    # SvB figures are final after six months: the latest quarter end at least 5 months back.
    last_final = plan.last_month - timedelta(days=150)
    dates = quarter_ends(plan.settings.first_month, last_final)
    if not dates:
        raise PipelineError(
            f"demo: kein SvB-Stichtag zwischen {plan.settings.first_month} und {last_final} / "
            "no SvB reference date in the demo range; choose an earlier demo.first_month"
        )
    divisions = sectors.filter(pl.col("level") == "division").sort("code")
    codes = divisions["code"].to_list()
    section_of = divisions["parent"].to_list()
    per_section: dict[str, float] = {}
    for code, section in zip(codes, section_of, strict=True):
        per_section[section] = per_section.get(section, 0.0) + P.DIVISION_WEIGHT.get(code, 1.0)
    base_share = np.array(
        [
            P.SECTION_SHARE.get(s, 0.001) * P.DIVISION_WEIGHT.get(c, 1.0) / per_section[s]
            for c, s in zip(codes, section_of, strict=True)
        ]
    )
    supplier = np.isin(codes, ["22", "24", "25", "26", "27", "28"])
    is_29 = np.array([c == "29" for c in codes])
    profile = np.array([P.KREIS_PROFILE[a][1] for a in regions], dtype=float) * 1000
    land_nds = np.array([a.startswith("03") for a in regions])
    profile = np.where(land_nds, profile * 3_180_000 / profile[land_nds].sum(), profile)

    rows = []
    for r, ags in enumerate(regions):
        share = base_share * rng.gamma(12.0, 1 / 12.0, size=len(codes))
        share = np.where(supplier, share * P.SUPPLIER_BOOST.get(ags, 1.0), share)
        share = np.where(is_29, 0.0, share)
        # Kreise without a named vehicle plant still host some WZ 29 (0.2 % .. 2 %)
        core_share = P.AUTOMOTIVE_CORE_SHARE.get(ags) or float(rng.uniform(0.002, 0.02))
        share = share / share.sum() * (1 - core_share)
        share = np.where(is_29, core_share, share)
        for ref in dates:
            years = (ref.year - 2023) + (ref.month - 3) / 12
            growth = 1 + 0.006 * years
            auto = np.where(is_29 | supplier, 1 - 0.025 * years, 1.0)
            values = rng.poisson(profile[r] * growth * share * auto)
            rows.append(pl.DataFrame({"ags": ags, "reference_date": ref, "wz": codes, "value": values}))
    detail = pl.concat(rows)
    totals = detail.group_by("ags", "reference_date").agg(pl.col("value").sum())
    totals = totals.with_columns(wz=pl.lit("TOTAL")).select(detail.columns)
    frame = pl.concat([detail, totals]).with_columns(pl.col("value").cast(pl.Float64), measure=pl.lit("svb"))
    return _suppress_small(with_published_rows(frame, agenturen))


def firms_frame(rng: np.random.Generator) -> pl.DataFrame:
    rows = []
    for ags, firms in P.RELEASING_FIRMS.items():
        for i, (name, wz, size) in enumerate(firms, start=1):
            rows.append((f"R-{ags}-{i:02d}", name, "releasing", wz, ags, size, True, True))
    for i, (name, wz, ags, size, tarif) in enumerate(P.RECEIVING_FIRMS, start=1):
        rows.append((f"E-{i:03d}", name, "receiving", wz, ags, size, tarif, tarif))
    frame = pl.DataFrame(
        rows,
        schema=[c for c in case_schema.FIRMS.stored_columns if c not in ("lon", "lat")],  # below
        orient="row",
    )
    jitter = rng.normal(0, 0.04, size=(frame.height, 2))
    seats = [P.KREIS_SEAT[a] for a in frame["ags"]]
    return frame.with_columns(
        lon=pl.Series([round(s[0] + j[0], 4) for s, j in zip(seats, jitter, strict=True)]),
        lat=pl.Series([round(s[1] + j[1] * 0.6, 4) for s, j in zip(seats, jitter, strict=True)]),
    )


def _pick(rng: np.random.Generator, options: dict[str, float] | list[str]) -> str:
    if isinstance(options, dict):
        keys, weights = list(options), np.array(list(options.values()), dtype=float)
        return keys[rng.choice(len(keys), p=weights / weights.sum())]
    return options[rng.integers(len(options))]


def case_frames(rng: np.random.Generator, plan: DemoPlan, firms: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Participants with full event histories, firm needs and quarterly funding."""
    cfg = plan.settings
    until = plan.data_until
    releasing = firms.filter(pl.col("role") == "releasing")
    receiving = firms.filter(pl.col("role") == "receiving")
    region_start = {a: d for a, d in cfg.network_regions.items() if d <= until}
    if not region_start:
        raise PipelineError("demo: no network region has started before the demo's last month")
    # entries ramp up after each region's start; the model region weighs most
    region_weight = {a: (3.0 if i == 0 else 1.0) for i, a in enumerate(cfg.network_regions)}
    days = [cfg.network_start + timedelta(days=i) for i in range((until - cfg.network_start).days)]
    participants, events = [], []
    for n in range(cfg.participants):
        while True:
            entry = days[int(len(days) * rng.beta(1.3, 1.0))]
            ags = _pick(
                rng,
                {a: region_weight[a] for a, d in region_start.items() if d <= entry}
                or {next(iter(region_start)): 1.0},
            )
            if entry.weekday() < 5:
                break
        firm = releasing.filter(pl.col("ags") == ags).sample(1, seed=int(rng.integers(1 << 31)))
        case_id = f"demo-{n + 1:04d}"
        origin_kldb = _pick(rng, P.ORIGIN_OCCUPATIONS)
        origin_wage = float(round(rng.normal(3_850, 650), -1))
        old_end = entry + timedelta(days=int(rng.integers(60, 240)))
        home = ags if rng.random() < 0.72 else _pick(rng, list(P.KREIS_SEAT))
        participants.append(
            {
                "case_id": case_id,
                "releasing_firm": firm["firm_id"][0],
                "home_ags": home,
                "age_group": AGE_GROUPS[rng.choice(5, p=AGE_WEIGHTS)],
                "gender": _pick(rng, {"m": 0.78, "w": 0.21, "d": 0.01}),
                "entry_date": entry,
                "old_job_end_date": old_end,
                "origin_kldb": origin_kldb,
                "origin_wage": origin_wage if rng.random() < 0.9 else None,
            }
        )
        events.extend(_case_history(rng, case_id, entry, old_end, origin_kldb, origin_wage, receiving, until))
    participant = pl.DataFrame(participants)
    case_event = pl.DataFrame(
        events,
        schema=case_schema.EVENTS_SHEET.polars_schema,
        orient="row",
    )
    return {
        "participant": participant,
        # one event of a kind per case and day (the importer's natural key)
        "case_event": case_event.unique(
            ["case_id", "event_date", "event"], keep="first", maintain_order=True
        ).sort("case_id", "event_date"),
        "firm_need": _needs_frame(rng, firms, cfg.network_start, until),
        "funding": _funding_frame(rng, until),
    }


def _case_history(rng, case_id, entry, old_end, origin_kldb, origin_wage, receiving, until):
    def ev(day, kind, firm=None, kldb=None, wage=None, retained=None):
        return (case_id, day, kind, firm, kldb, wage, retained)

    out = [ev(entry, "entry")]
    day = entry + timedelta(days=int(rng.integers(3, 15)))
    if day <= until:
        out.append(ev(day, "counselling"))
    if rng.random() < 0.35:
        q_start = entry + timedelta(days=int(rng.integers(20, 60)))
        q_end = q_start + timedelta(days=int(rng.integers(20, 90)))
        out += [
            ev(d, k)
            for d, k in ((q_start, "qualification_start"), (q_end, "qualification_end"))
            if d <= until
        ]
    for _ in range(int(rng.integers(0, 4))):
        d = entry + timedelta(days=int(rng.integers(15, 150)))
        if d <= until:
            out.append(ev(d, "placement_proposal"))
    outcome = rng.random()
    if outcome < 0.74:  # job start
        seamless = rng.random() < 0.8
        start = (
            old_end - timedelta(days=int(rng.integers(0, 45)))
            if seamless
            else old_end + timedelta(days=int(rng.integers(14, 120)))
        )
        start = max(start, entry + timedelta(days=21))
        if not seamless and start <= until and rng.random() < 0.7:
            out.append(ev(old_end + timedelta(days=1), "unemployed"))
        if start <= until:
            if rng.random() < 0.25:
                out.append(ev(start - timedelta(days=int(rng.integers(7, 20))), "trial_work"))
            firm = receiving.row(int(rng.integers(receiving.height)), named=True)
            kldb = origin_kldb if rng.random() < 0.5 else _pick(rng, P.TARGET_OCCUPATIONS[firm["wz"]])
            ratio = rng.normal(0.985, 0.08) + (0.03 if firm["collective_agreement"] else -0.02)
            wage = float(round(origin_wage * ratio, -1)) if rng.random() < 0.92 else None
            out.append(ev(start, "job_start", firm["firm_id"], kldb, wage))
            check = start + timedelta(days=182)
            if check <= until:
                out.append(ev(check, "retention_check", retained=bool(rng.random() < 0.88)))
    elif outcome < 0.86:
        exit_day = entry + timedelta(days=int(rng.integers(40, 220)))
        if exit_day <= until:
            out.append(ev(exit_day, "exit"))
            out = [e for e in out if e[1] <= exit_day]  # nothing happens after an exit
    return [e for e in out if e[1] <= until]


def _needs_frame(rng, firms: pl.DataFrame, start: date, until: date) -> pl.DataFrame:
    rows = []
    for firm in firms.iter_rows(named=True):
        releasing = firm["role"] == "releasing"
        for _ in range(int(rng.integers(1, 4))):
            day = start - timedelta(days=60) + timedelta(days=int(rng.integers(0, (until - start).days + 60)))
            kldb = (
                _pick(rng, P.ORIGIN_OCCUPATIONS)
                if releasing
                else _pick(rng, P.TARGET_OCCUPATIONS[firm["wz"]])
            )
            count = int(rng.integers(15, 140)) if releasing else int(rng.integers(2, 25))
            effect = day + timedelta(days=int(rng.integers(60, 330)))
            # announcements long in effect are mostly settled; the recent ones still open
            settled = effect < until - timedelta(days=60)
            status = _pick(rng, P.SETTLED_STATUS if settled else P.OPEN_STATUS)
            training = None if releasing else bool(rng.random() < 0.6)
            wage = None if releasing or rng.random() < 0.4 else float(round(rng.uniform(2900, 4300), -1))
            # a partly filled announcement has a third of it settled (no draw: the other
            # demo values stay as they were)
            filled = max(1, count // 3) if status == "partly" else None
            rows.append(
                (
                    firm["firm_id"],
                    day,
                    "cut" if releasing else "need",
                    kldb,
                    count,
                    effect,
                    status,
                    filled,
                    training,
                    wage,
                )
            )
    frame = pl.DataFrame(rows, schema=case_schema.NEEDS.polars_schema, orient="row")
    # one row per firm, day, kind and occupation (the importer's natural key)
    frame = frame.group_by("firm_id", "need_date", "kind", "kldb", maintain_order=True).agg(
        pl.col("count").sum(), pl.exclude("count").first()
    )
    return pl.concat([frame.select(case_schema.NEEDS.stored_columns), _story_needs(until)]).sort(
        "need_date", "firm_id", "kldb"
    )


def _story_needs(until: date) -> pl.DataFrame:
    """The exchange's demo story (README, Arbeitsmarktdrehscheibe): a Hildesheim supplier
    announces 120 cuts in metalworking and mechatronics within six months; needs in Peine,
    Salzgitter and Hannover; 5-digit codes (Fachkraft level), dates relative to the demo's end."""
    announced = until - timedelta(days=17)
    rows = [
        (
            firm,
            announced,
            kind,
            kldb,
            count,
            until + timedelta(days=days),
            "partly" if filled else "open",
            filled or None,
            training,
            wage,
        )
        for firm, kind, kldb, count, days, filled, training, wage in P.STORY_NEEDS
    ]
    return pl.DataFrame(rows, schema=case_schema.NEEDS.polars_schema, orient="row")


def _funding_frame(rng, until: date) -> pl.DataFrame:
    rows = []
    for i, planned in enumerate(P.PLANNED_FUNDING):
        start = date(2026 + i // 4, 3 * (i % 4) + 1, 1)
        end = month_end(date(start.year, start.month + 2, 1))
        if end <= until:
            spent = float(round(planned * rng.uniform(0.82, 1.04), -2))
        elif start <= until:
            elapsed = (until - start).days + 1
            spent = float(round(planned * elapsed / ((end - start).days + 1) * rng.uniform(0.8, 1.0), -2))
        else:
            spent = None
        rows.append((start, float(planned), spent))
    return pl.DataFrame(rows, schema=["quarter_start", "planned_eur", "spent_eur"], orient="row")


def demo_case_workbook(settings: Settings, firms: pl.DataFrame, cases: dict[str, pl.DataFrame]) -> Path:
    """The demo's case data as a filled import template (under build_path, never in git)."""
    data = {
        case_schema.FIRMS.key: firms.to_dicts(),
        case_schema.NEEDS.key: cases["firm_need"].to_dicts(),
        case_schema.PARTICIPANTS.key: cases["participant"].to_dicts(),
        case_schema.EVENTS_SHEET.key: cases["case_event"].to_dicts(),
        case_schema.FUNDING.key: cases["funding"].to_dicts(),
    }
    return write_template(settings.build_path / "demo_cases" / DEMO_WORKBOOK, data)


def statistics_code() -> list[bytes]:
    """The parsers and writers of the BA files: a change to them changes the demo's content."""
    from pipelines import statistics

    package = Path(statistics.__file__).parent
    return [p.read_bytes() for p in sorted(package.glob("*.py"))]


def write_demo_sources(
    folder: Path,
    plan: DemoPlan,
    labour: pl.DataFrame,
    employment: pl.DataFrame,
    labels: dict[str, dict[str, str]],
) -> list[Path]:
    """The demo's BA statistics as files in the published layouts: one workbook per month
    (Arbeitslose, gemeldete Arbeitsstellen by Kreis × KldB, the Land rows before their Kreise)
    and per quarter-end date ('SVB - Tabelle II' by Kreis × WZ, likewise), and the same by
    Agentur für Arbeit in a workbook of its own (rows '<Agentur code> <name>')."""
    from pipelines.statistics.writers import write_employment_quarter, write_labour_market_month

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    created = plan.data_until + timedelta(days=28)
    wide = labour.pivot(
        on="measure",
        index=["ags", "region_level", "period", "kldb", "reference_date"],
        values=["value", "flag"],
    )
    wide = wide.rename(
        {
            "value_unemployed": "unemployed",
            "value_vacancies": "vacancies",
            "flag_unemployed": "unemployed_flag",
            "flag_vacancies": "vacancies_flag",
        }
    )
    paths = []
    agency = pl.col("region_level") == "agentur"
    tables = (("", ~agency, "Region"), ("-agentur", agency, "Agentur für Arbeit"))
    for (month,), part in wide.partition_by("period", as_dict=True, maintain_order=True).items():
        for suffix, rows, header in tables:
            if not part.filter(rows).height:
                continue
            path = folder / f"demo-ba-alo-gst-kldb{suffix}-{month:%Y%m}.xlsx"
            paths.append(
                write_labour_market_month(
                    path,
                    month,
                    part["reference_date"][0],
                    part.filter(rows),
                    labels["occupation"],
                    labels["region"],
                    created,
                    region_header=header,
                )
            )
    for (day,), part in employment.partition_by("reference_date", as_dict=True, maintain_order=True).items():
        frame = part.rename({"flag": "value_flag"})
        for suffix, rows, header in tables:
            if not frame.filter(rows).height:
                continue
            path = folder / f"demo-ba-svb-wz{suffix}-{day:%Y%m%d}.xlsx"
            paths.append(
                write_employment_quarter(
                    path,
                    day,
                    frame.filter(rows),
                    labels["sector"],
                    labels["region"],
                    created,
                    region_header=header,
                )
            )
    return paths


def ingest_demo_sources(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    plan: DemoPlan,
    labour: pl.DataFrame,
    employment: pl.DataFrame,
    loaded_at: datetime,
) -> dict[str, int]:
    """Write the BA files and load them through the real parsers (write disposition of the
    demo: replace the BA facts)."""
    from pipelines.statistics.constants import DEMO_PREFIX
    from pipelines.statistics.detect import parse_bytes
    from pipelines.statistics.ingest import write_parsed

    labels = {
        name: dict(con.execute(sql).fetchall())
        for name, sql in (
            (
                "region",
                "SELECT ags, name FROM region UNION ALL SELECT DISTINCT land_code, land_name FROM region "
                "UNION ALL SELECT DISTINCT agentur_code, agentur FROM region WHERE agentur_code IS NOT NULL",
            ),
            ("occupation", "SELECT code, title_de FROM occupation"),
            ("sector", "SELECT code, title_de FROM sector"),
        )
    }
    paths = write_demo_sources(settings.build_path / "demo_sources", plan, labour, employment, labels)
    for table in ("fact_labour_market", "fact_employment"):  # the demo's rows only, never real ones
        con.execute(f"DELETE FROM {table} WHERE starts_with(publication, ?)", [DEMO_PREFIX])  # noqa: S608
    counts = {"fact_labour_market": 0, "fact_employment": 0}
    for path in paths:
        data = path.read_bytes()
        parsed = parse_bytes(path.name, data)
        parsed.demo = True
        written, report = write_parsed(con, parsed, hash_bytes(data), loaded_at, settings.geo_lands)
        if report.rows_quarantined or report.reconciliation == "difference":
            raise PipelineError(
                f"demo: {path.name} nicht sauber geladen / not loaded cleanly: {report.summary()}"
            )
        for table in counts:
            counts[table] += written.get(table, 0)
    return counts


def load_demo(
    settings: Settings,
    *,
    today: date | None = None,
    force: bool = False,
    session: LoadSession | None = None,
) -> StepResult:
    cfg = settings.demo
    plan = DemoPlan(cfg, cfg.last_month or default_last_month(today or date.today()))
    unknown = [a for a in cfg.network_regions if a not in P.KREIS_PROFILE]
    if unknown:
        raise PipelineError(
            f"Demo-Konfiguration: unbekannte AGS / unknown AGS in demo.network_regions: "
            f"{', '.join(unknown)} (erwartet: 5-stellige Kreise in Niedersachsen/Bremen)"
        )
    without_firms = [a for a in cfg.network_regions if a not in P.RELEASING_FIRMS]
    if without_firms:
        raise PipelineError(
            f"Demo-Konfiguration: keine Demo-Firmen für / no demo firms for AGS {without_firms}; "
            f"available: {', '.join(P.RELEASING_FIRMS)}"
        )

    def fingerprint_from(con: duckdb.DuckDBPyConnection) -> tuple[list, list, pl.DataFrame]:
        regions = [r[0] for r in con.execute("SELECT ags FROM region ORDER BY ags").fetchall()]
        occupations = [
            r[0] for r in con.execute("SELECT code FROM occupation WHERE level = 3 ORDER BY code").fetchall()
        ]
        sectors = con.sql("SELECT code, level, parent FROM sector ORDER BY code").pl()
        if not regions or not occupations or sectors.is_empty():
            raise PipelineError("Referenzdaten fehlen: zuerst `python -m pipelines reference`")
        missing = [a for a in regions if a not in P.KREIS_PROFILE]
        if missing:
            raise PipelineError(f"demo: keine Kalibrierung für AGS {missing}")
        return regions, occupations, sectors

    from pipelines.warehouse import staging  # local import keeps the module graph flat

    with staging(settings, session=session) as con:
        regions, occupations, sectors = fingerprint_from(con)
    content_hash = hash_bytes(
        plan.fingerprint(regions, occupations, sectors["code"].to_list()).encode(),
        # case ids are hashed with the key: another key or importer means other content
        f"{IMPORTER_VERSION}:{pseudonym('key', settings.case_id_key.get_secret_value())}".encode(),
    )

    def load(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        rng = np.random.default_rng(cfg.seed)
        loaded_at = datetime.now().replace(microsecond=0)
        agenturen = dict(
            con.execute("SELECT ags, agentur_code FROM region WHERE agentur_code IS NOT NULL").fetchall()
        )
        labour = labour_market_frame(rng, plan, regions, occupations, agenturen)
        employment = employment_frame(rng, plan, regions, sectors, agenturen)
        firms = firms_frame(rng)
        cases = case_frames(rng, plan, firms)
        # the case data goes the way real exports go: template workbook -> importer
        workbook = demo_case_workbook(settings, firms, cases)
        imported = import_replacing(con, read_path(workbook), settings, step="demo")
        if imported.row_counts()["quarantine"]:
            raise PipelineError(
                f"demo: Falldaten abgewiesen / case rows rejected: {imported.issues().head(5).rows()}"
            )
        return {
            **ingest_demo_sources(con, settings, plan, labour, employment, loaded_at),
            **imported.row_counts(),
        }

    return run_step(
        settings,
        "demo",
        f"demo seed {cfg.seed} bis {plan.last_month:%m/%Y}",
        content_hash,
        load,
        force=force,
        session=session,
    )
