"""Roles (design §6): who signed in decides what is shown, enforced here in the query layer.

A role is resolved from the signed-in person's identity claims (``role_from_claims``) or, on
demo data only, picked in the demo sign-in (``demo_refusal`` says when that is refused). Every
function that gives what only the agency may see (protection off, firm names, quarantine
details, uploads, publishing) calls ``require_agency`` with the role it was given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

import duckdb

from analytics.db import scalar
from analytics.settings import DEFAULT_CASE_ID_KEY, AuthSettings, Role, Settings

ROLES: tuple[str, ...] = get_args(Role)
# least access first: a person in groups of several roles gets the first of them
LEAST_ACCESS_FIRST: tuple[str, ...] = ("social_partner", "ministry", "agency")


class AccessDenied(PermissionError):
    """A role asked for what it may not see; ``message_id`` names the catalogue text."""

    def __init__(self, what: str, role: str | None) -> None:
        super().__init__(f"{what}: only the 'agency' role may do this (role: {role or 'none'})")
        self.what = what
        self.role = role
        self.message_id = "auth_agency_only"


def require_agency(role: str | None, what: str) -> None:
    """Raise ``AccessDenied`` unless ``role`` is 'agency'."""
    if role != "agency":
        raise AccessDenied(what, role)


def check_protection(role: str | None, protected: bool) -> None:
    """Disclosure control may be off only for the agency."""
    if not protected:
        require_agency(role, "unprotected values")


def check_role(role: str | None) -> str:
    """A known role, else ``AccessDenied`` (unknown users get no data)."""
    if role not in ROLES:
        raise AccessDenied("data", role)
    return role


def _values(claim: Any) -> list[str]:
    if claim is None:
        return []
    if isinstance(claim, str):
        return [part for part in claim.replace(",", " ").split() if part]
    if isinstance(claim, list | tuple | set):
        return [str(v) for v in claim]
    return [str(claim)]


def _least_access(roles: list[str]) -> str | None:
    found = [r for r in LEAST_ACCESS_FIRST if r in roles]
    return found[0] if found else None


def role_from_claims(claims: Mapping[str, Any], auth: AuthSettings) -> str | None:
    """The role of a signed-in person, None if the settings give them none.

    1. the claim ``auth.role_claim``: each value mapped by ``auth.claim_values`` (without a
       mapping a value must be a role name); 2. the e-mail address in ``auth.emails`` (case
       does not matter, and only a verified address counts when the token says
       ``email_verified``); 3. the claim ``auth.groups_claim`` mapped by ``auth.groups``.
    Several roles in one step give the one with the least access."""
    by_claim = []
    for value in _values(claims.get(auth.role_claim)):
        if auth.claim_values:
            if value in auth.claim_values:
                by_claim.append(auth.claim_values[value])
        elif value in ROLES:
            by_claim.append(value)
    if by_claim:
        return _least_access(by_claim)
    email = claims.get("email")
    if isinstance(email, str) and claims.get("email_verified", True) is not False:
        emails = {k.strip().lower(): v for k, v in auth.emails.items()}
        if email.strip().lower() in emails:
            return emails[email.strip().lower()]
    by_group = [auth.groups[g] for g in _values(claims.get(auth.groups_claim)) if g in auth.groups]
    return _least_access(by_group)


# Real data: a BA fact not stamped as demo, or a case import (step 'cases').
REAL_DATA_SQL = """
SELECT EXISTS (SELECT 1 FROM fact_labour_market WHERE NOT starts_with(publication, 'demo:'))
    OR EXISTS (SELECT 1 FROM fact_employment WHERE NOT starts_with(publication, 'demo:'))
    OR EXISTS (SELECT 1 FROM load_log WHERE step = 'cases' AND status = 'loaded')
"""


def real_data_loaded(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(scalar(con, REAL_DATA_SQL))


def demo_refusal(settings: Settings, real_data: bool, provider_configured: bool) -> str | None:
    """Why the demo sign-in is refused (a message id), None while it is allowed: only on a
    warehouse of demo data only, with no identity provider and no non-demo setting."""
    if not settings.auth.demo_signin:
        return "auth_demo_off"
    if real_data:
        return "auth_demo_real_data"
    if provider_configured:
        return "auth_demo_provider"
    if settings.case_id_key.get_secret_value() != DEFAULT_CASE_ID_KEY:
        return "auth_demo_setting"
    return None


# pages (url paths) only the agency may use: not registered in the navigation for other roles
AGENCY_ONLY_PAGES: frozenset[str] = frozenset({"statistik-laden", "falldaten-import"})
