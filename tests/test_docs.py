"""The README names every CLI step and every page (docs tested where cheap)."""

from pathlib import Path

from pipelines.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_cli_step_is_documented():
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert set(names) == {
        "reference",
        "geo",
        "demo",
        "ingest",
        "regio",
        "cases",
        "template",
        "publish",
        "discard",
        "sessions",
        "rollback",
        "all",
    }
    for name in names:
        assert f"`{name}`" in README, name


# modules of app_pages/ that are no page
GLUE = {"__init__", "common", "render", "auth", "texts", "warehouse", "runs", "filters", "widgets", "cache"}


def test_every_page_is_documented():
    from analytics.messages import MESSAGES

    pages = sorted((ROOT / "app_pages").glob("*.py"))
    nav_keys = [k for k in MESSAGES if k.startswith("app.nav_")]
    assert len(nav_keys) == len([p for p in pages if p.stem not in GLUE])
    for key in nav_keys:
        assert f"| {MESSAGES[key][0]} |" in README, key


def test_readme_first_screen_has_the_two_commands():
    first_block = README.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make start", "make test"]
