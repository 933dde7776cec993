"""Sign-in (design §6): OpenID Connect through ``st.login``, or the demo sign-in on demo data.

Called once per run from app.py, before anything else is drawn: ``sign_in()`` returns the role
of who signed in, or draws the sign-in screen (no numbers) and stops the run. The role then
travels with the filters into the query layer, which checks it (analytics.auth).
"""

from __future__ import annotations

import streamlit as st

from analytics.auth import AGENCY_ONLY_PAGES, ROLES, demo_refusal, role_from_claims
from analytics.messages import msg
from app_pages.common import lang, real_data, settings

DEMO_KEY = "_auth_demo_role"  # no widget has this key: only the demo sign-in sets it
WHO_KEY = "_auth_who"
DEMO_PARAM = "demo_role"  # ?demo_role=ministry: the demo sign-in by link (same conditions)


def _t(message_id: str, **values: object) -> str:
    return msg(message_id, lang(), **values)


def role_label(role: str) -> str:
    return _t(f"auth_role_{role}")


def provider_configured() -> bool:
    """Whether ``[auth]`` is set in .streamlit/secrets.toml (st.login can be used)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own not-found error
        return False


def _signed_in_box(who: str, role: str, demo: bool) -> None:
    st.session_state[WHO_KEY] = who  # for the audit trail (who started a load)
    box = st.sidebar.container(border=True)
    box.caption(_t("auth_signed_in", who=who, role=role_label(role)))
    box.button(
        _t("auth_logout"),
        key="auth_logout",
        icon=":material/logout:",
        on_click=_demo_logout if demo else st.logout,
    )


def _demo_logout() -> None:
    st.session_state.pop(DEMO_KEY, None)


def sign_in(url_paths: tuple[str, ...] = ()) -> str:
    """The role of this session's signed-in person; otherwise the sign-in screen and stop.

    ``url_paths``: the app's page paths; before signing in each of them shows the sign-in
    screen (no data), so a deep link such as /regionen opens the sign-in and then, at the
    same address, the page itself instead of Streamlit's "Page not found"."""
    cfg = settings()
    claims = st.user.to_dict()  # without [auth] in the secrets there is no is_logged_in at all
    if claims.get("is_logged_in"):
        who = str(claims.get("email") or claims.get("name") or claims.get("sub") or "?")
        role = role_from_claims(claims, cfg.auth)
        if role is None:
            _no_navigation(url_paths)
            st.title(_t("auth_title"))
            st.warning(_t("auth_unknown_user", who=who), icon=":material/no_accounts:")
            st.button(_t("auth_logout"), key="auth_logout", icon=":material/logout:", on_click=st.logout)
            st.stop()
        _signed_in_box(who, role, demo=False)
        return role

    refusal = demo_refusal(cfg, real_data(), provider_configured())
    if refusal is not None:
        st.session_state.pop(DEMO_KEY, None)  # e.g. real data published since
    else:
        linked = st.query_params.get(DEMO_PARAM)
        if linked in ROLES:
            st.session_state[DEMO_KEY] = linked
            del st.query_params[DEMO_PARAM]
        role = st.session_state.get(DEMO_KEY)
        if role in ROLES:
            st.sidebar.warning(_t("auth_demo_title"), icon=":material/science:")
            _signed_in_box(_t("auth_demo_who"), role, demo=True)
            return role
    _screen(refusal, url_paths)
    st.stop()
    raise AssertionError("unreachable")  # st.stop raises


def _no_navigation(url_paths: tuple[str, ...]) -> None:
    """Register only empty, hidden pages: no page (and no page list) before signing in; the
    sign-in page answers at the root and at every page's address (see sign_in)."""
    paths = ["anmeldung", *(p for p in url_paths if p and p != "anmeldung")]
    st.navigation(
        [
            st.Page(_nothing, title=_t("auth_title"), url_path=path, default=i == 0)
            for i, path in enumerate(paths)
        ],
        position="hidden",
    )


def _nothing() -> None:
    pass


def _screen(refusal: str | None, url_paths: tuple[str, ...]) -> None:
    _no_navigation(url_paths)
    st.title(_t("auth_title"))
    st.write(_t("auth_intro"))
    if provider_configured():
        if st.button(_t("auth_login"), type="primary", key="auth_login", icon=":material/login:"):
            st.login()
    else:
        st.info(_t("auth_no_provider"), icon=":material/info:")
    if refusal is None:
        with st.container(border=True):
            st.subheader(_t("auth_demo_title"))
            st.warning(_t("auth_demo_intro"), icon=":material/science:")
            choice = st.selectbox(_t("auth_demo_role"), ROLES, format_func=role_label, key="auth_demo_choice")
            if st.button(_t("auth_demo_signin"), key="auth_demo_signin"):
                st.session_state[DEMO_KEY] = choice
                st.rerun()
    elif not provider_configured():
        st.caption(_t(refusal))


def pages_for(role: str, sections: dict[str, list[st.Page]]) -> dict[str, list[st.Page]]:
    """The navigation without the pages the role may not use (agency-only pages)."""
    out = {}
    for section, pages in sections.items():
        allowed = [p for p in pages if role == "agency" or p.url_path not in AGENCY_ONLY_PAGES]
        if allowed:
            out[section] = allowed
    return out
