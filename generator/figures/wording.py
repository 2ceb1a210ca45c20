"""Numbers inside figure takeaways, written the way the pages write them (a true minus sign)."""

from __future__ import annotations


def pct(value: float, digits: int = 1, signed: bool = False) -> str:
    """A fraction as a percentage: -0.031 -> '−3.1%' (with `signed`, 0.05 -> '+5.0%')."""
    return f"{value * 100:{'+' if signed else ''}.{digits}f}%".replace("-", "−")


def num(value: float, digits: int = 2) -> str:
    """A plain number with a true minus sign: -0.5 -> '−0.50'."""
    return f"{value:.{digits}f}".replace("-", "−")
