from datetime import date, datetime

import polars as pl
import pytest

from analytics.formatting import (
    date_text,
    datetime_text,
    fmt_change,
    fmt_date,
    fmt_eur,
    fmt_number,
    fmt_percent,
    fmt_value,
    int_text,
    quarter_text,
)
from analytics.periods import Quarter, quarters_between


@pytest.mark.parametrize(
    ("text", "quarter"),
    [("Q1 2026", Quarter(2026, 1)), ("2026-Q4", Quarter(2026, 4)), (" q3 2027 ", Quarter(2027, 3))],
)
def test_quarter_parse(text, quarter):
    assert Quarter.parse(text) == quarter


def test_quarter_bounds_and_neighbours():
    q = Quarter(2026, 1)
    assert (q.start, q.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert q.previous() == Quarter(2025, 4) and Quarter(2025, 4).next() == q
    assert Quarter.of(date(2026, 11, 29)) == Quarter(2026, 4)
    assert [x.label() for x in quarters_between(date(2025, 12, 5), date(2026, 4, 1))] == [
        "Q4 2025",
        "Q1 2026",
        "Q2 2026",
    ]
    with pytest.raises(ValueError):
        Quarter.parse("2026")


@pytest.mark.parametrize(
    ("func", "args", "expected"),
    [
        (fmt_number, (1234567.4,), "1.234.567"),
        (fmt_number, (1234.56, "de", 1), "1.234,6"),
        (fmt_number, (1234.56, "en", 1), "1,234.6"),
        (fmt_percent, (0.6478,), "64,8\u00a0%"),
        (fmt_eur, (8000,), "8.000\u00a0€"),
        (fmt_date, (date(2026, 3, 1),), "01.03.2026"),
        (fmt_value, (63.5, "days"), "64 Tage"),
        (fmt_value, (0.975, "ratio"), "0,98"),
        (fmt_value, (None, "count"), "–"),
        (fmt_value, (float("nan"), "share"), "–"),  # 0/0 from a region without transitions
        (fmt_change, (-0.1359, "share"), "-13,6 Pp."),
        (fmt_change, (-276.2, "eur"), "-276\u00a0€"),
        (fmt_value, (5, "count", "de", True), "*"),
        (fmt_change, (5, "count"), "+5"),
        (fmt_change, (0, "count"), "±0"),
        (fmt_change, (-0.0004, "share"), "±0,0 Pp."),
    ],
)
def test_german_formats(func, args, expected):
    assert func(*args) == expected


# Column formatting as Polars expressions (no Python callback per row): hand-written texts.


def test_int_text_groups_thousands_natively():
    frame = pl.DataFrame({"v": [0, 7, 999, 1000, 1234567, -4321, None]})
    got = frame.select(de=int_text(pl.col("v")), en=int_text(pl.col("v"), "en"))
    assert got["de"].to_list() == ["0", "7", "999", "1.000", "1.234.567", "-4.321", None]
    assert got["en"].to_list() == ["0", "7", "999", "1,000", "1,234,567", "-4,321", None]


def test_date_quarter_and_datetime_texts():
    frame = pl.DataFrame(
        {
            "d": [date(2026, 3, 5), date(2026, 9, 30), date(2027, 12, 31)],
            "t": [datetime(2026, 3, 5, 14, 7), datetime(2026, 9, 30, 9, 0), datetime(2027, 12, 31, 23, 59)],
        }
    )
    got = frame.select(
        q=quarter_text(pl.col("d")),
        de=date_text(pl.col("d")),
        en=date_text(pl.col("d"), "en"),
        t_de=datetime_text(pl.col("t")),
        t_en=datetime_text(pl.col("t"), "en"),
    )
    assert got["q"].to_list() == ["Q1 2026", "Q3 2026", "Q4 2027"]
    assert got["de"].to_list() == ["05.03.2026", "30.09.2026", "31.12.2027"]
    assert got["en"].to_list() == ["5 Mar 2026", "30 Sept 2026", "31 Dec 2027"]  # babel's en_GB month
    assert got["en"].to_list() == [fmt_date(d, "en") for d in frame["d"]]
    assert got["t_de"].to_list() == ["05.03.2026 14:07", "30.09.2026 09:00", "31.12.2027 23:59"]
    assert got["t_en"][1] == "30 Sept 2026 09:00"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("3,5", "de", 3.5),
        ("2.000", "de", 2000.0),
        ("1.234,5", "de", 1234.5),
        ("2 000 €", "de", 2000.0),
        ("6", "de", 6.0),
        ("3.5", "en", 3.5),
        ("2,000", "en", 2000.0),
        ("1,234.5 EUR", "en", 1234.5),
    ],
)
def test_typed_numbers_in_the_language_notation(text, lang, expected):
    from analytics.formatting import parse_number

    assert parse_number(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "message_id"),
    [
        ("3.5", "de", "input_ambiguous_de"),
        ("12.34", "de", "input_ambiguous_de"),
        ("3,5", "en", "input_ambiguous_en"),
        ("drei", "de", "input_not_a_number"),
        ("1,2,3", "de", "input_not_a_number"),
        ("3,", "de", "input_not_a_number"),
        ("", "de", "input_not_a_number"),
    ],
)
def test_typed_numbers_refused_with_a_message(text, lang, message_id):
    from analytics.formatting import InputError, parse_number
    from analytics.messages import msg

    with pytest.raises(InputError) as refused:
        parse_number(text, lang)
    assert refused.value.message_id == message_id
    for language in ("de", "en"):
        assert text in msg(message_id, language, **refused.value.values)
