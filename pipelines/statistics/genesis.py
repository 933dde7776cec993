"""Optional online fetch from the Regionaldatenbank (GENESIS 'regio') via ``pystatis``.

Install with ``pip install -e '.[genesis]'``. Credentials come from the settings
(``genesis_user``, ``genesis_password``; environment ``COCKPIT_GENESIS_USER`` / ``…_PASSWORD``),
never from the repository. The client is injectable: tests pass a local stub, so the fetch
is tested offline. Fetched tables are saved as ffcsv under ``data/raw/regio/`` and ingested
through the same parser as uploaded files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from analytics.settings import Settings
from pipelines.statistics.ingest import FileReport, ingest_files
from pipelines.warehouse import PipelineError

DEFAULT_TABLES = ("13211-02-05-4", "13111-01-03-4")


class RegioClient(Protocol):
    def fetch(self, name: str, *, regionalkey: str, startyear: str, endyear: str) -> str:
        """The table as ffcsv text."""


class PystatisClient:
    """The real client: ``pystatis.Table(name).get_data(...)`` against the 'regio' database."""

    def __init__(self, user: str, password: str) -> None:
        try:
            import pystatis
        except ImportError as exc:
            raise PipelineError("pystatis fehlt / missing: pip install -e '.[genesis]'") from exc
        os.environ["PYSTATIS_REGIO_API_USERNAME"] = user
        os.environ["PYSTATIS_REGIO_API_PASSWORD"] = password
        pystatis.setup_credentials("regio")
        self._table = pystatis.Table

    def fetch(self, name: str, *, regionalkey: str, startyear: str, endyear: str) -> str:
        table = self._table(name)
        table.get_data(
            prettify=False,
            regionalvariable="KREISE",
            regionalkey=regionalkey,
            startyear=startyear,
            endyear=endyear,
        )
        return table.raw_data


def client_from_settings(settings: Settings) -> RegioClient:
    if not settings.genesis_user or not settings.genesis_password:
        raise PipelineError(
            "Keine Zugangsdaten für die Regionaldatenbank: COCKPIT_GENESIS_USER und "
            "COCKPIT_GENESIS_PASSWORD setzen (oder in cockpit.toml). / No Regionaldatenbank "
            "credentials in the settings."
        )
    return PystatisClient(
        settings.genesis_user.get_secret_value(), settings.genesis_password.get_secret_value()
    )


def fetch_regio(
    settings: Settings,
    tables: Iterable[str] = DEFAULT_TABLES,
    *,
    startyear: str,
    endyear: str,
    regionalkey: str = "03*,04*",
    client: RegioClient | None = None,
    publish_after: bool = True,
) -> list[FileReport]:
    """Download the tables, keep them as raw files, ingest them like uploads."""
    client = client or client_from_settings(settings)
    folder = settings.data_dir / "raw" / "regio"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d")
    files: list[tuple[str, Path]] = []
    for name in tables:
        try:
            text = client.fetch(name, regionalkey=regionalkey, startyear=startyear, endyear=endyear)
        except PipelineError:
            raise
        except Exception as exc:  # network and API errors of the client
            raise PipelineError(
                f"Regionaldatenbank: Tabelle {name} nicht abrufbar / cannot fetch table {name}: {exc}"
            ) from exc
        path = folder / f"{name}_{startyear}-{endyear}_{stamp}.csv"
        path.write_text(text, encoding="utf-8")
        files.append((path.name, path))
    return ingest_files(settings, files, publish_after=publish_after)
