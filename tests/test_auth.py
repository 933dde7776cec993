"""Sign-in and roles (#13): the role from the identity claims, the demo sign-in, and every
agency-only function of the query layer and the pipelines refusing the other roles."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from pydantic import SecretStr
from streamlit.testing.v1 import AppTest

from analytics import automotive, data_quality
from analytics.auth import (
    AGENCY_ONLY_PAGES,
    AccessDenied,
    demo_refusal,
    real_data_loaded,
    require_agency,
    role_from_claims,
)
from analytics.db import connect
from analytics.settings import DEFAULT_CASE_ID_KEY, AuthSettings
from analytics.views.model import ViewFilters
from pipelines.cases.importer import discard_staged, publish_staged, stage_upload
from pipelines.errors import PipelineError
from pipelines.reference import load_reference
from pipelines.sessions import list_sessions
from pipelines.statistics.ingest import load_and_publish
from pipelines.warehouse import publish
from tests.case_files import BASE, base, set_cell, write_csv

APP = str(Path(__file__).resolve().parent.parent / "app.py")
OTHER_ROLES = ("ministry", "social_partner", None, "admin")


# ---------------------------------------------------------------- role from the claims


def test_role_claim_holding_a_role_name():
    auth = AuthSettings()
    assert role_from_claims({"cockpit_role": "agency"}, auth) == "agency"
    assert role_from_claims({"cockpit_role": ["ministry"]}, auth) == "ministry"
    assert role_from_claims({"cockpit_role": "superuser"}, auth) is None  # not a role name


def test_claim_values_mapped_and_the_claim_name_configurable():
    auth = AuthSettings(role_claim="roles", claim_values={"cockpit-ta": "agency", "cockpit-mw": "ministry"})
    assert role_from_claims({"roles": ["offline_access", "cockpit-ta"]}, auth) == "agency"
    # with a mapping, a bare role name in the claim counts for nothing
    assert role_from_claims({"roles": ["agency"]}, auth) is None
    # two mapped values: the role with the least access (ministry below agency)
    assert role_from_claims({"roles": ["cockpit-ta", "cockpit-mw"]}, auth) == "ministry"


def test_email_mapping_then_groups_and_unknown_users():
    auth = AuthSettings(
        emails={"Anna.Berg@MW.Niedersachsen.de": "ministry"},
        groups={"/igm": "social_partner", "/ta": "agency"},
    )
    assert role_from_claims({"email": "anna.berg@mw.niedersachsen.de"}, auth) == "ministry"
    # an address the provider marks as not verified is not taken
    assert role_from_claims({"email": "anna.berg@mw.niedersachsen.de", "email_verified": False}, auth) is None
    assert role_from_claims({"email": "x@igm.de", "groups": ["/igm"]}, auth) == "social_partner"
    # groups of two roles: social_partner has less access than agency
    assert role_from_claims({"groups": ["/ta", "/igm"]}, auth) == "social_partner"
    assert role_from_claims({"email": "someone@else.de", "groups": ["/other"]}, auth) is None
    # the role claim comes first
    assert role_from_claims({"cockpit_role": "agency", "groups": ["/igm"]}, auth) == "agency"


# ---------------------------------------------------------------- demo sign-in


def test_demo_signin_only_on_demo_data_without_non_demo_settings(settings):
    default_key = settings.model_copy(update={"case_id_key": SecretStr(DEFAULT_CASE_ID_KEY)})
    assert demo_refusal(default_key, real_data=False, provider_configured=False) is None
    assert demo_refusal(default_key, real_data=True, provider_configured=False) == "auth_demo_real_data"
    assert demo_refusal(default_key, real_data=False, provider_configured=True) == "auth_demo_provider"
    off = default_key.model_copy(update={"auth": AuthSettings(demo_signin=False)})
    assert demo_refusal(off, real_data=False, provider_configured=False) == "auth_demo_off"
    # a case-id key of its own (the tests set one) is a setting for real data
    assert demo_refusal(settings, real_data=False, provider_configured=False) == "auth_demo_setting"


def test_real_data_is_told_from_demo_data(tiny_settings, demo_settings):
    con = connect(demo_settings.warehouse_path)
    try:
        assert not real_data_loaded(con)  # demo BA facts and the demo step's cases only
    finally:
        con.close()
    con = connect(tiny_settings.warehouse_path)
    try:
        assert real_data_loaded(con)  # hand-written facts and a case import
    finally:
        con.close()


# ---------------------------------------------------------------- query layer refuses


def test_require_agency():
    require_agency("agency", "x")
    for role in OTHER_ROLES:
        with pytest.raises(AccessDenied, match="only the 'agency' role"):
            require_agency(role, "x")


def test_view_filters_carry_a_known_role_and_protection_off_only_for_the_agency():
    ViewFilters("k", "l", ("03254",), "Q2 2026", role="agency", protected=False)
    ViewFilters("k", "l", ("03254",), "Q2 2026", role="ministry", protected=True)
    for role in ("ministry", "social_partner"):
        with pytest.raises(AccessDenied):
            ViewFilters("k", "l", ("03254",), "Q2 2026", role=role, protected=False)
    for role in (None, "admin"):  # unknown users get no data
        with pytest.raises(AccessDenied):
            ViewFilters("k", "l", ("03254",), "Q2 2026", role=role)


def test_firm_names_are_agency_only(tiny_settings):
    con = connect(tiny_settings.warehouse_path)
    try:
        assert automotive.network_firms(con, role="agency").height > 0
        for role in OTHER_ROLES:
            with pytest.raises(AccessDenied):
                automotive.network_firms(con, role=role)
            assert automotive.visible_firms(con, role).is_empty()
    finally:
        con.close()


def test_firm_level_exchange_data_is_agency_only():
    import polars as pl

    from analytics import exchange
    from analytics.views.exchange import best_matches, cut_detail

    empty = pl.DataFrame()
    exchange.require_detail("agency")
    for role in OTHER_ROLES:
        with pytest.raises(AccessDenied, match="firm-level exchange data"):
            cut_detail(empty, empty, role)
        with pytest.raises(AccessDenied):
            best_matches(empty, empty, empty, role)


def test_quarantine_details_are_agency_only(tiny_settings):
    con = connect(tiny_settings.warehouse_path)
    try:
        data_quality.quarantined_rows(con, role="agency")
        data_quality.statistics_quarantine(con, role="agency")
        for role in OTHER_ROLES:
            with pytest.raises(AccessDenied):
                data_quality.quarantined_rows(con, role=role)
            with pytest.raises(AccessDenied):
                data_quality.statistics_quarantine(con, role=role)
        # the counts every role sees
        assert (
            data_quality.quarantine_count(con) == con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
        )
    finally:
        con.close()


@pytest.fixture
def ref_settings(settings):
    load_reference(settings)
    publish(settings)
    return settings


def case_files(tmp_path: Path) -> list[tuple[str, bytes]]:
    folder = write_csv(tmp_path / "up", base())
    return [(n, (folder / n).read_bytes()) for n in BASE]


def test_uploads_and_publishing_are_agency_only(ref_settings, tmp_path):
    files = case_files(tmp_path)
    for role in OTHER_ROLES:
        with pytest.raises(AccessDenied):
            stage_upload(ref_settings, files, role=role)
        with pytest.raises(AccessDenied):
            load_and_publish(ref_settings, files, started_by="test", role=role)
    assert list_sessions(ref_settings.warehouse_path) == []  # refused before a session opened
    staged = stage_upload(ref_settings, files, role="agency")
    for role in OTHER_ROLES:
        with pytest.raises(AccessDenied):
            publish_staged(ref_settings, staged.session_id, role=role)
        with pytest.raises(AccessDenied):
            discard_staged(ref_settings, staged.session_id, role=role)
    assert [s.id for s in list_sessions(ref_settings.warehouse_path)] == [staged.session_id]
    assert publish_staged(ref_settings, staged.session_id, role="agency").status == "loaded"


def test_real_case_import_refuses_the_default_key(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_CASE_ID_KEY", DEFAULT_CASE_ID_KEY)
    from analytics.settings import get_settings

    get_settings.cache_clear()
    cfg = get_settings()
    load_reference(cfg)
    publish(cfg)
    with pytest.raises(PipelineError, match=r"^Kein eigener Schlüssel .*case_id_key.*secrets.token_urlsafe"):
        stage_upload(cfg, case_files(tmp_path), role="agency")
    monkeypatch.setenv("COCKPIT_CASE_ID_KEY", " ")
    get_settings.cache_clear()
    with pytest.raises(PipelineError, match="case_id_key"):
        stage_upload(get_settings(), case_files(tmp_path), role="agency")
    assert list_sessions(cfg.warehouse_path) == []


# ---------------------------------------------------------------- the app (AppTest)


def app(user: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = user
    return at.run()


def shows_no_data(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert not at.sidebar.selectbox  # no filters either (they hold region names and quarters)


def test_unauthenticated_and_unknown_users_see_no_number(tiny_settings):
    # without [auth] in the secrets st.user has no is_logged_in at all (AppTest's default user)
    at = app({"email": "test@example.com"})
    shows_no_data(at)
    assert at.title[0].value == "Anmeldung"
    at = app({"is_logged_in": False})
    shows_no_data(at)
    assert at.title[0].value == "Anmeldung"
    assert not at.get("selectbox")  # tiny data is real data: no demo sign-in
    at = app({"is_logged_in": True, "email": "nobody@example.org"})
    shows_no_data(at)
    assert "keine Rolle" in at.warning[0].value and "nobody@example.org" in at.warning[0].value


def test_roles_get_their_pages_and_the_protection_switch(tiny_settings):
    for role in ("agency", "ministry", "social_partner"):
        at = app({"is_logged_in": True, "email": f"{role}@x.de", "cockpit_role": role})
        assert not at.exception
        assert at.metric  # the Übersicht
        assert any(role in c.value or "Transformationsagentur" in c.value for c in at.sidebar.caption)
        toggles = [t.key for t in at.sidebar.toggle]
        assert ("unprotected" in toggles) == (role == "agency")
        if role != "agency":
            for page in ("app_pages/case_import.py", "app_pages/statistics_upload.py"):
                with pytest.raises(ValueError, match="Could not find a navigation page"):
                    at.switch_page(page)
        else:
            at.switch_page("app_pages/case_import.py").run()
            assert not at.exception and at.title[0].value == "Falldaten importieren"
    assert AGENCY_ONLY_PAGES == {"statistik-laden", "falldaten-import"}


def test_demo_signin_on_demo_data(demo_settings, monkeypatch):
    # the app server of a demo start: no COCKPIT_ settings, so the default case-id key
    monkeypatch.delenv("COCKPIT_CASE_ID_KEY")
    from analytics.settings import get_settings

    get_settings.cache_clear()
    at = app({"is_logged_in": False})
    shows_no_data(at)
    assert any("DEMO" in w.value for w in at.warning)
    at.selectbox(key="auth_demo_choice").select("social_partner").run()
    at.button(key="auth_demo_signin").click().run()
    assert not at.exception
    assert at.metric and not [t for t in at.sidebar.toggle if t.key == "unprotected"]
    assert any("Sozialpartner" in c.value for c in at.sidebar.caption)
    at.sidebar.button(key="auth_logout").click().run()
    shows_no_data(at)


def test_demo_signin_refused_with_a_non_demo_setting(demo_settings):
    # the test settings carry a case-id key of their own: a real-data setting
    at = app({"is_logged_in": False})
    shows_no_data(at)
    assert not at.get("selectbox")
    at.query_params["demo_role"] = "agency"  # nor by link
    at.run()
    shows_no_data(at)
    assert any("case_id_key" in c.value for c in at.caption)


def test_demo_signin_refused_on_real_data_even_with_the_demo_key(tiny_settings, monkeypatch):
    # the demo's default case-id key, but the tiny warehouse holds real facts and a case import
    monkeypatch.delenv("COCKPIT_CASE_ID_KEY")
    from analytics.settings import get_settings

    get_settings.cache_clear()
    for link in (None, "agency"):
        at = AppTest.from_file(APP, default_timeout=60)
        at.user = {"is_logged_in": False}
        if link:
            at.query_params["demo_role"] = link
        at.run()
        shows_no_data(at)
        assert not at.get("selectbox") and not at.button
        assert any("Das Warehouse enthält echte Daten" in c.value for c in at.caption), [
            c.value for c in at.caption
        ]


# ---------------------------------------------------------------- audit trail


def test_publish_discard_and_rollback_are_in_the_audit_table(ref_settings, tmp_path):
    from pipelines.sessions import audit_path
    from pipelines.warehouse import rollback

    audit_file = audit_path(ref_settings.warehouse_path)
    first = stage_upload(
        ref_settings, case_files(tmp_path), started_by="page:case_import (ta@x.de)", role="agency"
    )
    publish_staged(ref_settings, first.session_id, role="agency")
    con = connect(ref_settings.warehouse_path)
    try:
        # the warehouse in service holds its own publish (and the reference publish before it)
        in_table = con.execute(
            "SELECT action, session, started_by FROM audit_log ORDER BY happened_at, action"
        ).fetchall()
        assert ("publish", first.session_id, "page:case_import (ta@x.de)") in in_table
        assert [a for a, _, _ in in_table] == ["publish", "publish"]
    finally:
        con.close()
    reference_publish = next(s for a, s, _ in in_table if a == "publish" and s != first.session_id)
    changed = base()
    set_cell(changed, "betriebe.csv", 3, "Betriebsname", "Testbau Nord GmbH")  # one record changed
    folder = write_csv(tmp_path / "b", changed)
    second = stage_upload(
        ref_settings,
        [(n, (folder / n).read_bytes()) for n in BASE],
        started_by="page:case_import (ta@x.de)",
        role="agency",
    )
    discard_staged(ref_settings, second.session_id, role="agency")
    rollback(ref_settings)  # the previous warehouse (without the case publish) is back
    con = connect(ref_settings.warehouse_path)
    try:
        trail = data_quality.audit_trail(con, audit_file, role="agency")
        # newest first: rollback, discard, publish of the cases, publish of the reference
        assert trail["action"].to_list()[:3] == ["rollback", "discard", "publish"]
        assert trail.filter(session=second.session_id)["action"].to_list() == ["discard"]
        assert first.session_id in trail["session"].to_list()  # not lost with the rollback
        # who and what changed: the publish's and the discarded session's loads, and the
        # publish the rollback took out of service and the one it put back
        rolled, discarded, published = (json.loads(d) for d in trail["details"].to_list()[:3])
        assert trail["started_by"].to_list()[1:3] == ["page:case_import (ta@x.de)"] * 2
        assert published["loads"] == [f"cases: {', '.join(BASE)}"]  # one load of the five files
        assert discarded["loads"] == published["loads"]
        assert rolled["replaced"]["session"] == first.session_id
        assert rolled["replaced"]["started_by"] == "page:case_import (ta@x.de)"
        assert rolled["restored"]["session"] == reference_publish
        assert rolled["restored"]["loads"][0].startswith("reference")
        for role in OTHER_ROLES:
            with pytest.raises(AccessDenied):
                data_quality.audit_trail(con, audit_file, role=role)
    finally:
        con.close()


def test_the_agency_sees_the_audit_trail_on_datenqualitaet_and_no_other_role_does(ref_settings, tmp_path):
    """Datenqualität (AppTest): the agency sees who published and discarded which session,
    and the quarantined row; the ministry sees neither, only the count of quarantined rows."""
    files = base()
    # F1 quarantined, and its three events with it (a case not known): 4 rows
    set_cell(files, "teilnehmende.csv", 1, "Altersgruppe", "erika.m@example.org")
    folder = write_csv(tmp_path / "q", files)
    staged = stage_upload(
        ref_settings,
        [(n, (folder / n).read_bytes()) for n in BASE],
        started_by="page:case_import (ta@x.de)",
        role="agency",
    )
    publish_staged(ref_settings, staged.session_id, role="agency")
    changed = base()
    set_cell(changed, "betriebe.csv", 3, "Betriebsname", "Testbau Nord GmbH")
    folder = write_csv(tmp_path / "d", changed)
    dropped = stage_upload(ref_settings, [(n, (folder / n).read_bytes()) for n in BASE], role="agency")
    discard_staged(ref_settings, dropped.session_id, role="agency")

    def page(role: str) -> tuple[AppTest, str]:
        at = app({"is_logged_in": True, "email": f"{role}@x.de", "cockpit_role": role})
        at.switch_page("app_pages/data_quality.py").run()
        assert not at.exception, [e.value for e in at.exception]
        shown = "\n".join(df.value.to_csv() for df in at.dataframe)
        return at, shown

    at, shown = page("agency")
    assert [s.value for s in at.subheader][-1] == "Protokoll: Veröffentlichen, Verwerfen, Zurückrollen"
    assert staged.session_id in shown and dropped.session_id in shown
    assert "publish" in shown and "discard" in shown and "page:case_import (ta@x.de)" in shown
    assert f"Ladevorgänge: cases: {', '.join(BASE)}" in shown  # what the publish and the discard held
    assert "<Text/text, 19 Zeichen/characters" in shown and "erika" not in shown  # the row, masked
    for role in ("ministry", "social_partner"):
        at, shown = page(role)
        assert staged.session_id not in shown and dropped.session_id not in shown
        assert "Protokoll" not in " ".join(s.value for s in at.subheader)
        assert "Zeichen/characters" not in shown  # no quarantined row
        assert any(i.value.endswith("hier nur ihre Anzahl: 4.") for i in at.info), [i.value for i in at.info]


def test_the_audit_trail_on_screen_says_what_changed_in_words():
    import polars as pl

    from analytics.data_quality import AUDIT_SCHEMA, audit_shown

    restored = {"published_at": "2026-12-02T04:42:30", "session": "93475ab4", "started_by": "cli:all"}
    replaced = {"published_at": "2026-12-02T04:42:39", "session": "e25b417d", "started_by": "cli:reference"}
    trail = pl.DataFrame(
        {
            "happened_at": [datetime(2026, 12, 2, 4, 42, 41), datetime(2026, 12, 2, 4, 42, 39)] * 2,
            "action": ["rollback", "publish", "discard", "rollback"],
            "session": [None, "e25b417d", "aa11", None],
            "started_by": [None, "cli:reference", "page:case_import (ta@x.de)", None],
            "os_user": ["", "", "", ""],
            "details": [
                json.dumps({"replaced": replaced, "restored": restored}),
                json.dumps({"loads": ["reference: /ref", "geo: /geo.shp"]}),
                json.dumps({"loads": []}),
                json.dumps({"replaced": None, "restored": restored}),  # from before the audit table
            ],
        },
        schema=AUDIT_SCHEMA,
    )
    de = audit_shown(trail, "de")
    assert de["happened_at"].to_list()[:2] == ["02.12.2026 04:42", "02.12.2026 04:42"]
    assert de["session"].to_list() == ["–", "e25b417d", "aa11", "–"]
    assert de["details"].to_list() == [
        "wieder in Betrieb: Veröffentlichung 93475ab4 vom 02.12.2026 04:42 (cli:all); "
        "außer Betrieb: Veröffentlichung e25b417d vom 02.12.2026 04:42 (cli:reference)",
        "Ladevorgänge: reference: /ref; geo: /geo.shp",
        "keine Ladevorgänge",
        "wieder in Betrieb: Veröffentlichung 93475ab4 vom 02.12.2026 04:42 (cli:all); "
        "außer Betrieb: unbekannt (Warehouse ohne Protokoll)",
    ]
    en = audit_shown(trail, "en")
    assert en["details"][0] == (
        "back in service: publish 93475ab4 of 2 Dec 2026 04:42 (cli:all); "
        "out of service: publish e25b417d of 2 Dec 2026 04:42 (cli:reference)"
    )
