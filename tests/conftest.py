from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics.settings import SHARED_GEO, Settings, get_settings
from tests.browser_support import app_url, browser  # noqa: F401 (fixtures)
from tests.builders import build_tiny_warehouse

TEST_CASE_ID_KEY = "test-case-id-key-not-for-production"
ENV_KEYS = ("COCKPIT_DATA_DIR", "COCKPIT_GEO_SOURCE", "COCKPIT_CONFIG", "COCKPIT_DEMO__LAST_MONTH")
# The disclosure pattern is not computed at publish in tests (most of them publish case data
# they never read through a page, and the benchmark builders they call would give the program
# its publish-time limit): the first reader computes it, as before. The tests of that feature
# switch it on (tests/test_case_pattern.py). Set for the whole process, so that module- and
# session-scoped builders and subprocesses see it too; an outer environment may override it.
PATTERN_AT_PUBLISH = "COCKPIT_DISCLOSURE_PATTERN_AT_PUBLISH"
os.environ.setdefault(PATTERN_AT_PUBLISH, "false")


def make_settings(data_dir: Path, **env: str) -> Settings:
    """Point the process-wide settings at ``data_dir`` (and further env overrides)."""
    os.environ["COCKPIT_DATA_DIR"] = str(data_dir)
    os.environ["COCKPIT_CONFIG"] = str(data_dir / "none.toml")
    os.environ.setdefault("COCKPIT_DEMO__LAST_MONTH", "2026-10-01")
    os.environ.setdefault("COCKPIT_CASE_ID_KEY", TEST_CASE_ID_KEY)  # real imports refuse the default
    os.environ.setdefault(PATTERN_AT_PUBLISH, "false")
    for key, value in env.items():
        os.environ[key] = value
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture(autouse=True)
def _isolated_env() -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in os.environ if k.startswith("COCKPIT_")}
    yield
    for key in [k for k in os.environ if k.startswith("COCKPIT_")]:
        del os.environ[key]
    os.environ.update({k: v for k, v in saved.items() if v is not None})
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _signed_in_apptest(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every AppTest starts signed in, as the role in ``COCKPIT_TEST_ROLE`` (default ministry):
    the identity claims ``st.user`` would hold after an OpenID Connect sign-in (the claim
    ``cockpit_role``, analytics.auth). Tests of the sign-in itself set ``at.user`` anew."""
    from streamlit.testing.v1 import AppTest

    original = AppTest.__init__

    def signed_in(self, *args, **kwargs):
        original(self, *args, **kwargs)
        role = os.environ.get("COCKPIT_TEST_ROLE", "ministry")
        self.user = {"is_logged_in": True, "email": f"{role}@test.invalid", "cockpit_role": role}

    monkeypatch.setattr(AppTest, "__init__", signed_in)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written tiny warehouse, built once per session (tests only read it)."""
    data_dir = tmp_path_factory.mktemp("tiny") / "data"
    saved = dict(os.environ)
    build_tiny_warehouse(make_settings(data_dir))
    os.environ.clear()
    os.environ.update(saved)
    get_settings.cache_clear()
    return data_dir


@pytest.fixture
def tiny_settings(tiny_dir: Path) -> Settings:
    return make_settings(tiny_dir)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full demo warehouse (all steps) built once per test session."""
    from typer.testing import CliRunner

    from pipelines.cli import app

    data_dir = tmp_path_factory.mktemp("demo") / "data"
    saved = dict(os.environ)
    make_settings(data_dir)
    result = CliRunner().invoke(app, ["all", "--require-geo"])
    os.environ.clear()
    os.environ.update(saved)
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return data_dir


@pytest.fixture
def demo_settings(demo_dir: Path) -> Settings:
    return make_settings(demo_dir)


requires_geo = pytest.mark.skipif(not SHARED_GEO.exists(), reason=f"BKG file not at {SHARED_GEO}")


@pytest.fixture(scope="session")
def attack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The attack warehouse of issue #12 (tests/builders.py), built once per session."""
    from tests.builders import build_attack_warehouse

    data_dir = tmp_path_factory.mktemp("attack") / "data"
    saved = dict(os.environ)
    build_attack_warehouse(make_settings(data_dir))
    os.environ.clear()
    os.environ.update(saved)
    get_settings.cache_clear()
    return data_dir


@pytest.fixture
def attack_settings(attack_dir: Path) -> Settings:
    return make_settings(attack_dir)


@pytest.fixture
def page_rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Branchen & Übergänge with its own rules alone. On the tiny data the one suppression
    pattern withholds the network's and Hildesheim's transitions since start, so the page
    shows no diagram there (tests/test_attacker.py reads the page with the pattern)."""
    monkeypatch.setattr("analytics.flows._cube_status", lambda *args, **kwargs: {})


# The longest test files first: `make test` hands whole files to two workers (pytest-xdist
# --dist loadfile) in collection order, so a long file collected last would run alone at the
# end while the other worker idles.
LONGEST_FIRST = (
    "test_attacker.py",
    "test_views.py",
    "test_browser_layout.py",
    "test_matrix.py",
    "test_browser_report.py",
)


def pytest_collection_modifyitems(config, items) -> None:
    def rank(item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within each file and among the others is kept
