"""Scenarios of the rollout planner (#15): weights, normalisation, shortlist and candidate,
saved and loaded by name.

Stored in one JSON file in the data dir (``rollout_scenarios.json``), not in the warehouse:
the app opens the warehouse read-only and writes it only through load sessions meant for
statistics and case data, while a scenario is the user's working state. JSON needs no further
library (Python reads TOML but does not write it); the file is replaced atomically, so a
reader never sees half a file, and a damaged file reads as no scenarios (with a flag) rather
than as a traceback.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from datetime import date, datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator

from analytics.rollout import BASES, INDICATOR_KEYS, MAX_COMPARE, METHODS, check_role
from analytics.settings import Settings

FILE_NAME = "rollout_scenarios.json"
MAX_SCENARIOS = 100
_NAME = re.compile(r"^[\w ÄÖÜäöüß.,()+&/-]{1,60}$")
_AGS = re.compile(r"^\d{5}$")


class Scenario(BaseModel):
    name: str
    method: str = "rank"
    scope: str = "extended"
    distance: float = Field(default=50.0, ge=0, le=300)
    basis: str = "svb"
    weights: dict[str, float] = Field(default_factory=dict)
    compare: list[str] = Field(default_factory=list)
    candidate: str | None = None
    start: date | None = None  # the candidate's planned start (projection to the project end)
    saved_at: datetime | None = None
    saved_by_role: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not _NAME.match(value):
            raise ValueError("name: 1–60 letters, digits, spaces or . , ( ) + & / -")
        return value

    @field_validator("method")
    @classmethod
    def _method(cls, value: str) -> str:
        if value not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        return value

    @field_validator("scope")
    @classmethod
    def _scope(cls, value: str) -> str:
        if value not in ("core", "extended"):
            raise ValueError("scope must be core or extended")
        return value

    @field_validator("basis")
    @classmethod
    def _basis(cls, value: str) -> str:
        if value not in BASES:
            raise ValueError(f"basis must be one of {BASES}")
        return value

    @field_validator("weights")
    @classmethod
    def _weights(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = set(value) - set(INDICATOR_KEYS)
        if unknown or any(not 0 <= w <= 10 for w in value.values()):
            raise ValueError("weights: known indicators, each 0 to 10")
        return value

    @field_validator("compare")
    @classmethod
    def _compare(cls, value: list[str]) -> list[str]:
        if len(value) > MAX_COMPARE or not all(_AGS.match(a) for a in value):
            raise ValueError(f"compare: up to {MAX_COMPARE} five-digit AGS")
        return value

    @field_validator("candidate")
    @classmethod
    def _candidate(cls, value: str | None) -> str | None:
        if value is not None and not _AGS.match(value):
            raise ValueError("candidate: a five-digit AGS")
        return value


def path(settings: Settings) -> Path:
    return settings.data_dir / FILE_NAME


def load_scenarios(settings: Settings) -> tuple[dict[str, Scenario], bool]:
    """The saved scenarios by name, and whether the file was damaged (then: none)."""
    file = path(settings)
    if not file.exists():
        return {}, False
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
        scenarios = [Scenario.model_validate(item) for item in raw["scenarios"]]
    except (OSError, ValueError, KeyError, TypeError, ValidationError):
        return {}, True
    return {s.name: s for s in scenarios}, False


def save_scenario(settings: Settings, scenario: Scenario, role: str, now: datetime | None = None) -> None:
    """Add or replace the scenario of that name (any known role; the role is recorded)."""
    check_role(role)
    scenarios, damaged = load_scenarios(settings)
    if damaged:
        raise ValueError("scenario file damaged")
    if scenario.name not in scenarios and len(scenarios) >= MAX_SCENARIOS:
        raise ValueError(f"at most {MAX_SCENARIOS} scenarios")
    stamped = scenario.model_copy(update={"saved_at": now or datetime.now(), "saved_by_role": role})
    scenarios[stamped.name] = stamped
    data = {
        "scenarios": [s.model_dump(mode="json") for s in sorted(scenarios.values(), key=lambda s: s.name)]
    }
    file = path(settings)
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=file.parent, prefix=".scenarios-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
