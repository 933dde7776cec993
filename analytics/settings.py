"""One typed settings object for the whole product.

Values come, in increasing priority, from the defaults below, an optional TOML file
(``cockpit.toml`` in the project root or the file named by ``COCKPIT_CONFIG``) and
environment variables with the prefix ``COCKPIT_`` (nested fields with ``__``, e.g.
``COCKPIT_DEMO__SEED=7``). Every path is derived from the project root unless set.
"""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_GEO = PROJECT_ROOT.parent / "shared" / "geo" / "vg5000_2021" / "VG5000_KRS.shp"
BKG_VG5000_URL = (
    "https://daten.gdz.bkg.bund.de/produkte/vg/vg5000_0101/aktuell/vg5000_01-01.utm32s.shape.ebenen.zip"
)


class AutomotiveDefinition(BaseModel):
    """Which WZ 2008 codes count as automotive (design §3). Configuration, not code."""

    core: list[str] = Field(default_factory=lambda: ["29"])
    supplier: list[str] = Field(default_factory=lambda: ["22", "24", "25", "26", "27", "28"])
    label_core_de: str = "Automobilkern (WZ 29)"
    label_extended_de: str = "Automobilwirtschaft erweitert (WZ 29 + Zulieferbranchen)"

    @property
    def extended(self) -> list[str]:
        return sorted(set(self.core) | set(self.supplier))


class YearTarget(BaseModel):
    entries: int
    transitions: int


class Targets(BaseModel):
    """Yearly targets of the network; quarterly targets are a quarter of the year's."""

    by_year: dict[int, YearTarget] = Field(
        default_factory=lambda: {
            2026: YearTarget(entries=360, transitions=140),
            2027: YearTarget(entries=480, transitions=300),
            2028: YearTarget(entries=480, transitions=340),
        }
    )
    seamless_rate: float = 0.6
    retention_rate: float = 0.85


class AvoidedUnemployment(BaseModel):
    """Assumptions behind the avoided-unemployment estimate (printed next to it)."""

    avg_months_unemployed: float = 6.0
    monthly_cost_eur: float = 2_000.0


class PlanWave(BaseModel):
    """One wave of the rollout plan: the Kreise that join the network on ``start`` and the
    wave's yearly targets (all its Kreise together; empty: the wave has none of its own)."""

    wave: int
    start: date
    kreise: list[str]
    targets: dict[int, YearTarget] = Field(default_factory=dict)


def _wave(wave: int, start: date, kreise: list[str], targets: dict[int, tuple[int, int]]) -> PlanWave:
    return PlanWave(
        wave=wave,
        start=start,
        kreise=kreise,
        targets={y: YearTarget(entries=e, transitions=t) for y, (e, t) in targets.items()},
    )


class RolloutPlan(BaseModel):
    """The rollout plan (#15), the one source of which Kreis joins when and with which
    targets: the demo generator, the region preset "all network regions" and the network
    region list (``analytics.kpi.network_regions``), the network's yearly targets (the sum of
    the waves' targets) and the rollout planner read it (``cockpit.toml`` ``[[rollout.waves]]``)."""

    waves: list[PlanWave] = Field(
        default_factory=lambda: [
            # Hildesheim (model region), Peine, Goslar; the targets add up to the network's
            # yearly targets of the funding decision (360/140, 480/300, 480/340)
            _wave(1, date(2026, 1, 1), ["03254"], {2026: (240, 100), 2027: (240, 150), 2028: (220, 160)}),
            _wave(2, date(2026, 5, 1), ["03157"], {2026: (80, 30), 2027: (140, 90), 2028: (140, 100)}),
            _wave(3, date(2026, 9, 1), ["03153"], {2026: (40, 10), 2027: (100, 60), 2028: (120, 80)}),
        ]
    )

    @field_validator("waves")
    @classmethod
    def _each_kreis_once(cls, waves: list[PlanWave]) -> list[PlanWave]:
        seen: dict[str, int] = {}
        for wave in waves:
            for ags in wave.kreise:
                if not (len(ags) == 5 and ags.isdigit()):
                    raise ValueError(f"rollout wave {wave.wave}: {ags!r} is no 5-digit AGS")
                if ags in seen:
                    raise ValueError(f"rollout: Kreis {ags} is in wave {seen[ags]} and wave {wave.wave}")
                seen[ags] = wave.wave
        return waves

    def ordered(self) -> list[PlanWave]:
        return sorted(self.waves, key=lambda w: (w.start, w.wave))

    def starts(self) -> dict[str, date]:
        """Kreis -> start date, in the order of the waves (the model region first)."""
        out: dict[str, date] = {}
        for wave in self.ordered():
            for ags in wave.kreise:
                out.setdefault(ags, wave.start)
        return out

    def kreise_until(self, day: date) -> list[str]:
        """The Kreise whose wave has started on or before ``day``, sorted."""
        return sorted(a for a, start in self.starts().items() if start <= day)

    def has_targets(self) -> bool:
        return any(w.targets for w in self.waves)

    def year_targets(self) -> dict[int, YearTarget]:
        """The network's yearly targets: the sum of the waves' targets per year."""
        out: dict[int, YearTarget] = {}
        for wave in self.waves:
            for year, t in wave.targets.items():
                have = out.get(year, YearTarget(entries=0, transitions=0))
                out[year] = YearTarget(
                    entries=have.entries + t.entries, transitions=have.transitions + t.transitions
                )
        return dict(sorted(out.items()))

    def target_for(self, ags: list[str] | tuple[str, ...], year: int) -> YearTarget | None:
        """The targets of a region selection in ``year``: the sum over the waves whose Kreise
        all lie in it. None when the selection covers no wave with a target that year, or only
        a part of a wave (a wave's targets are not split among its Kreise)."""
        chosen = set(ags)
        entries = transitions = 0
        found = False
        for wave in self.waves:
            inside = chosen & set(wave.kreise)
            if not inside:
                continue
            if inside != set(wave.kreise):
                return None
            t = wave.targets.get(year)
            if t is not None:
                entries, transitions, found = entries + t.entries, transitions + t.transitions, True
        return YearTarget(entries=entries, transitions=transitions) if found else None


class DemoSettings(BaseModel):
    seed: int = 20260101
    first_month: date = date(2023, 1, 1)
    last_month: date | None = None  # None: the latest month the BA has published
    network_start: date = date(2026, 1, 1)
    # model region first, then the rollout Kreise with their start dates; unset: the rollout
    # plan's (Settings.rollout), which is the one source — set only to test the generator
    network_regions: dict[str, date] | None = None
    participants: int = 320


class UploadLimits(BaseModel):
    """What an uploaded file may be (checked before any cell is read; README "Upload-Grenzen").

    ``max_file_mb`` is also Streamlit's ``server.maxUploadSize`` in ``.streamlit/config.toml``
    (a test keeps the two equal). The cell cap bounds what the Excel readers allocate: calamine
    holds the bounding box of all used cells (rows x columns), about 32 bytes per cell.
    """

    max_file_mb: int = 50  # one file as uploaded (or given to the CLI)
    max_unpacked_mb: int = 250  # an .xlsx archive's members together, uncompressed
    max_compression_ratio: int = 100  # per member above 1 MB: uncompressed / compressed
    max_rows: int = 300_000  # per sheet (or CSV file)
    max_columns: int = 1_000  # per sheet: up to column ALL
    max_cells: int = 10_000_000  # per sheet: used rows x used columns

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb << 20  # MiB, as Streamlit counts

    @property
    def max_unpacked_bytes(self) -> int:
        return self.max_unpacked_mb << 20


Role = Literal["agency", "ministry", "social_partner"]
DEFAULT_CASE_ID_KEY = "demo-key-change-me"  # refused for real data (pipelines: case import)


class AuthSettings(BaseModel):
    """Who may sign in and with which role (README "Anmeldung und Rollen / Sign-in and roles").

    The OpenID Connect provider itself is configured in ``.streamlit/secrets.toml`` (``[auth]``,
    read by ``st.login``). The role comes from the ID token's claim ``role_claim`` (its values
    mapped by ``claim_values``; without a mapping the value must be a role name), else from
    ``emails`` (e-mail address -> role), else from ``groups`` (a value of the claim
    ``groups_claim`` -> role). Several matching groups give the role with the least access.
    """

    role_claim: str = "cockpit_role"
    claim_values: dict[str, Role] = Field(default_factory=dict)
    emails: dict[str, Role] = Field(default_factory=dict)
    groups_claim: str = "groups"
    groups: dict[str, Role] = Field(default_factory=dict)
    # the demo sign-in (pick a role, no identity provider); refused anyway as soon as real
    # data is loaded or a non-demo setting is active (analytics.auth.demo_refusal)
    demo_signin: bool = True


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COCKPIT_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = PROJECT_ROOT / "data"
    warehouse_file: Path | None = None
    build_dir: Path | None = None
    # load sessions (pipelines/warehouse.py): a session not published after this many hours is
    # removed on the next run; publish waits this long for the lock of another publish
    session_max_age_hours: float = 24.0
    publish_lock_timeout_s: float = 30.0
    geo_source: str | None = None  # local .shp/.zip path or URL; default see geo_source_resolved
    geo_lands: list[str] = Field(default_factory=lambda: ["03", "04"])
    geo_simplify_m: float = 150.0  # tolerance in metres, applied before reprojection

    case_id_key: SecretStr = SecretStr(DEFAULT_CASE_ID_KEY)
    genesis_user: SecretStr | None = None
    genesis_password: SecretStr | None = None

    budget_total_eur: float = 530_000.0
    project_start: date = date(2026, 1, 1)
    project_end: date = date(2028, 12, 31)
    wage_ratio_good: float = 0.95
    disclosure_min_count: int = 3
    # the disclosure case pattern is computed at publish and stored in the warehouse (README
    # "Disclosure control"), its cover-cell program given this many seconds and rounds there
    # (a page view that has to compute it, after a settings change, keeps 60 s and 8 rounds);
    # false: computed by the first page view only, as before
    disclosure_pattern_at_publish: bool = True
    disclosure_publish_time_limit: float = Field(default=120.0, gt=0)
    disclosure_publish_max_rounds: int = Field(default=40, ge=1)
    # DuckDB threads of the app's read-only connection (README "Limits": many sessions share
    # it; the app's queries are small, so more threads per query mostly add contention)
    query_threads: int = Field(default=2, ge=1)
    # DuckDB's memory limit for the loads (staging warehouses): without one DuckDB takes up to
    # 80 % of the machine, which the app and other loads share; past it DuckDB spills to disk
    # (README "Performance", ingest at Germany scale)
    ingest_memory_limit: str = Field(default="2GB", pattern=r"^\d+(\.\d+)?\s*(MB|GB|MiB|GiB)$")
    # page runs of all sessions at once; the others wait for a slot (README "Limits")
    max_concurrent_runs: int = Field(default=4, ge=1)
    # the report pack's PDF is printed by this headless chromium (Debian's package; never a
    # downloaded browser), driven by Playwright (analytics.report.pdf)
    chromium_path: Path = Path("/usr/bin/chromium")
    # roles (agency, ministry, social_partner) follow the person signed in (analytics.auth)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    targets: Targets = Field(default_factory=Targets)
    avoided_unemployment: AvoidedUnemployment = Field(default_factory=AvoidedUnemployment)
    automotive: AutomotiveDefinition = Field(default_factory=AutomotiveDefinition)
    demo: DemoSettings = Field(default_factory=DemoSettings)
    upload: UploadLimits = Field(default_factory=UploadLimits)
    rollout: RolloutPlan = Field(default_factory=RolloutPlan)

    @model_validator(mode="after")
    def _plan_is_the_source(self) -> Settings:
        if self.demo.network_regions is None:
            self.demo.network_regions = self.rollout.starts()
        # the network's yearly targets are the sum of the waves' targets. A configuration
        # that sets [targets.by_year] but no plan of its own (older cockpit.toml) keeps its
        # yearly targets; the default waves then carry none. Both given: they must agree.
        given = "targets" in self.model_fields_set and "by_year" in self.targets.model_fields_set
        planned = "rollout" in self.model_fields_set and self.rollout.has_targets()
        if given and not planned:
            for wave in self.rollout.waves:
                wave.targets = {}
        elif self.rollout.has_targets():
            derived = self.rollout.year_targets()
            if given and self.targets.by_year != derived:
                raise ValueError(
                    "targets.by_year must equal the sum of the rollout waves' targets "
                    f"({ {y: (t.entries, t.transitions) for y, t in derived.items()} }); "
                    "set the targets in [[rollout.waves]] only"
                )
            self.targets.by_year = derived
        return self

    @field_validator("geo_lands")
    @classmethod
    def _two_digit_lands(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not (len(v) == 2 and v.isdigit())]
        if bad:
            raise ValueError(f"geo_lands must be two-digit Land codes, got {bad}")
        return value

    @property
    def warehouse_path(self) -> Path:
        return self.warehouse_file or self.data_dir / "warehouse.duckdb"

    @property
    def build_path(self) -> Path:
        return self.build_dir or self.data_dir / "build"

    @property
    def geo_source_resolved(self) -> str:
        """The configured source, else the shared development copy, else the BKG download."""
        if self.geo_source:
            return self.geo_source
        if SHARED_GEO.exists():
            return str(SHARED_GEO)
        return BKG_VG5000_URL

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get("COCKPIT_CONFIG", PROJECT_ROOT / "cockpit.toml"))
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
            file_secret_settings,
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests call ``get_settings.cache_clear()`` after changes."""
    return Settings()
