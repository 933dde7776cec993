"""Quarters as the reporting period of the network ("Q1 2026")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    q: int  # 1..4

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Parse 'Q1 2026' or '2026-Q1'."""
        cleaned = text.strip().upper().replace("-", " ")
        parts = cleaned.split()
        if len(parts) == 2 and parts[0].startswith("Q"):
            return cls(int(parts[1]), int(parts[0][1:]))
        if len(parts) == 2 and parts[1].startswith("Q"):
            return cls(int(parts[0]), int(parts[1][1:]))
        raise ValueError(f"not a quarter: {text!r}")

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.q - 2, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.q == 4 else Quarter(self.year, self.q + 1)

    def label(self) -> str:
        return f"Q{self.q} {self.year}"

    def __str__(self) -> str:
        return self.label()


def quarters_between(first: date, last: date) -> list[Quarter]:
    out, current, stop = [], Quarter.of(first), Quarter.of(last)
    while current <= stop:
        out.append(current)
        current = current.next()
    return out


def within_quarter(days: list[date], quarter: Quarter) -> list[date]:
    """The dates (e.g. months of monthly data) that lie in ``quarter``, in their order."""
    return [d for d in days if quarter.start <= d <= quarter.end]


def until_quarter(days: list[date], quarter: Quarter) -> list[date]:
    """The dates up to the end of ``quarter``: no page shows a figure from after it."""
    return [d for d in days if d <= quarter.end]
