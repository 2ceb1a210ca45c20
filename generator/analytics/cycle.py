"""The economic cycle from FRED flags: NBER recession periods."""

from __future__ import annotations

import pandas as pd


def recession_periods(usrec: pd.Series) -> pd.DataFrame:
    """USREC (monthly 0/1) -> one row per recession: ``start`` (first month flagged 1) and
    ``end`` (last day of the last month flagged 1, so shading covers the whole month).

    A recession still flagged at the end of the data ends at the last month's end.
    """
    flags = usrec.astype(int)
    change = flags.diff().fillna(flags.iloc[0])
    starts = flags.index[change.to_numpy() == 1]
    ends = flags.index[(flags.shift(-1).fillna(0).astype(int) - flags).to_numpy() == -1]
    rows = [{"start": s, "end": e + pd.offsets.MonthEnd(0)}
            for s, e in zip(starts, ends, strict=True)]
    return pd.DataFrame(rows, columns=["start", "end"])
