"""Cell cleaning, table-driven: input, expected value written by hand, and failures."""

from datetime import date

import pytest

from pipelines.statistics.cells import (
    clean_label,
    parse_cell,
    parse_date,
    parse_month,
    parse_number,
    split_code_label,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Berufs\u00adabschluss", "Berufsabschluss"),
        ("Berufs-\nabschluss", "Berufsabschluss"),
        ("Berufs- abschluss", "Berufsabschluss"),
        ("Fahrzeug-, Luft- und Raumfahrttechnik", "Fahrzeug-, Luft- und Raumfahrttechnik"),
        ("Insgesamt 1)", "Insgesamt"),
        ("Insgesamt*)", "Insgesamt"),
        ("Arbeitslose²", "Arbeitslose"),
        ("  Nienburg (Weser)\u00a0 ", "Nienburg (Weser)"),
        (None, ""),
    ],
)
def test_clean_label(raw, expected):
    assert clean_label(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03254 Hildesheim", ("03254", "Hildesheim")),
        (
            "252 Fahrzeug-, Luft-, Raumfahrt- und Schiffbautechnik",
            ("252", "Fahrzeug-, Luft-, Raumfahrt- und Schiffbautechnik"),
        ),
        ("29.1 Herstellung von Kraftwagen", ("29.1", "Herstellung von Kraftwagen")),
        ("C Verarbeitendes Gewerbe", ("C", "Verarbeitendes Gewerbe")),
        ("03254", ("03254", "")),
        ("Insgesamt", (None, "Insgesamt")),
        ("Hildesheim", (None, "Hildesheim")),
    ],
)
def test_split_code_label(raw, expected):
    assert split_code_label(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.234", 1234.0),
        ("1.234.567", 1234567.0),
        ("6,9", 6.9),
        ("1.234,5", 1234.5),
        ("1234", 1234.0),
        ("6.9", 6.9),
        ("-12", -12.0),
        (" 17 ", 17.0),
        ("abc", None),
        ("", None),
        ("12a", None),
    ],
)
def test_parse_number(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("* ", (None, "suppressed", True)),
        ("-", (0.0, None, True)),
        ("x", (None, "na", True)),
        (".", (None, "unknown", True)),
        ("...", (None, "not_yet", True)),
        ("/", (None, "unreliable", True)),
        ("1.234", (1234.0, None, True)),
        ("n.v.", (None, None, False)),
    ],
)
def test_parse_cell_symbols(raw, expected):
    assert parse_cell(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Januar 2026", date(2026, 1, 1)),
        ("Berichtsmonat: März 2025", date(2025, 3, 1)),
        ("Jan. 2026", date(2026, 1, 1)),
        ("01/2026", date(2026, 1, 1)),
        ("2026-02", date(2026, 2, 1)),
        ("2026-01-01 00:00:00", date(2026, 1, 1)),
        ("Insgesamt", None),
    ],
)
def test_parse_month(raw, expected):
    assert parse_month(raw) == expected


def test_parse_date():
    assert parse_date("Stichtag: 30.06.2025") == date(2025, 6, 30)
    assert parse_date("30. Juni 2025") == date(2025, 6, 30)
    assert parse_date("2025-09-30 00:00:00") == date(2025, 9, 30)
    assert parse_date("31.02.2025") is None


def test_clean_labels_is_clean_label_for_every_value():
    import polars as pl

    from pipelines.statistics.cells import clean_label, clean_labels

    texts = [
        "Arbeits-\nlose",
        "Arbeitslose insgesamt 1)",
        "Männer",
        "  Frauen  ",
        "Sozial\u00adwesen",
        "Jugendliche ¹",
        None,
        "Berufs- und Fachschulen",
        "Ost-West",
        "a\tb",
        "Merkmal 5",
        "Merkmal 5",
        "*)",
    ]
    got = clean_labels(pl.Series("label", texts)).to_list()
    assert got == [None if t is None else clean_label(t) for t in texts]
    assert got[0] == "Arbeitslose" and got[3] == "Frauen"
