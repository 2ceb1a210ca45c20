"""Live update of the Kenneth R. French Data Library tables (`make update`).

Each library file is downloaded whole (a zip of a few hundred kilobytes; the library has no
incremental download), parsed and validated exactly as the snapshot copy is, then compared with
the stored table. The library revises its history slightly each year (a new CRSP vintage):
revised months are applied and reported — how many months and cells changed and the largest
change — not rejected. Refused: a file whose layout changed (the parser), one that fails
validation, one that ends before the stored table or starts later (history would be lost), and
a "revision" so large it can only be a mis-read (`MAX_REVISION_PP` on a return).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd
import requests

from generator.errors import DataError, FeedError
from generator.load import load_french
from generator.sources.french import (
    DATASETS,
    Dataset,
    FrenchFile,
    fetch_zip,
    parse_french_text,
    read_zip,
)
from generator.sources.retry import RetryPolicy
from generator.store import Store

# A revised monthly return moving by more than this (percentage points) is not a CRSP revision.
MAX_REVISION_PP = 10.0

Row = dict[str, object]
FetchZip = Callable[[Dataset], bytes]


def _row(series: str, status: str, reason: str = "", rows_added: int = 0,
         last_date: object = None) -> Row:
    return {"series": series, "rows_added": rows_added,
            "last_date": str(last_date) if last_date else "", "status": status, "reason": reason}


def revisions(stored: pd.DataFrame, fresh: pd.DataFrame) -> tuple[pd.DatetimeIndex, int, float,
                                                                  str]:
    """Months on which `fresh` differs from `stored` (shared months and columns), the number of
    changed cells, and the largest change in a return column (percentage points) and its cell."""
    rows = stored.index.intersection(fresh.index)
    cols = stored.columns.intersection(fresh.columns)
    old = stored.loc[rows, cols].to_numpy()
    new = fresh.loc[rows, cols].to_numpy()
    changed = ~((old == new) | (np.isnan(old) & np.isnan(new)))
    months = rows[changed.any(axis=1)]
    returns = np.array([c.startswith(("vw:", "ew:", "monthly:")) for c in cols])
    moves = np.where(changed[:, returns], np.abs(new[:, returns] - old[:, returns]), 0.0)
    worst, where = 0.0, ""
    if moves.size and np.nanmax(moves) > 0:
        r, c = np.unravel_index(np.nanargmax(moves), moves.shape)
        worst = float(moves[r, c])
        where = f"{cols[returns][c]} {rows[r]:%Y-%m}"
    return pd.DatetimeIndex(months), int(changed.sum()), worst, where


def update_dataset(store: Store, dataset: Dataset, today: dt.date, fetch: FetchZip) -> Row:
    """Fetch, parse, validate, compare and store one library file; never raises for a feed
    problem (the stored table stays on any failure)."""
    name = f"French: {dataset.name}"
    try:
        data = fetch(dataset)
        file: FrenchFile = parse_french_text(read_zip(data, dataset, dataset.url), dataset,
                                             dataset.url)
        fresh = file.monthly()
    except FeedError as exc:
        return _row(name, "unreachable", str(exc))
    except DataError as exc:
        return _row(name, "rejected", str(exc))
    stored = store.read_table(dataset.id) if store.has_table(dataset.id) else None
    detail = ""
    if stored is not None:
        if fresh.index[-1] < stored.index[-1]:
            return _row(name, "rejected", f"the library's file ends {fresh.index[-1]:%Y-%m}, "
                        f"before the stored {stored.index[-1]:%Y-%m}",
                        last_date=stored.index[-1].date())
        if fresh.index[0] > stored.index[0]:
            return _row(name, "rejected", f"the library's file starts {fresh.index[0]:%Y-%m}, "
                        f"after the stored {stored.index[0]:%Y-%m}: history would be lost",
                        last_date=stored.index[-1].date())
        months, cells, worst, where = revisions(stored, fresh)
        if worst > MAX_REVISION_PP:
            return _row(name, "rejected", f"a revision of {worst:.2f} percentage points to "
                        f"{where} is too large for a data revision (limit "
                        f"{MAX_REVISION_PP:g}): the file's layout may have changed",
                        last_date=stored.index[-1].date())
        if len(months):
            detail = (f"revised by the library: {len(months)} months, {cells} values "
                      f"({months[0]:%Y-%m} to {months[-1]:%Y-%m}; largest return revision "
                      f"{worst:.2f} pp, {where})")
    added = len(fresh.index.difference(stored.index)) if stored is not None else len(fresh)
    try:
        before = store.read_table_meta(dataset.id).sha256 if stored is not None else None
        meta = load_french(store, file, origin=f"live:{dataset.url}", where=dataset.url,
                            today=today)
    except DataError as exc:
        return _row(name, "rejected", str(exc))
    except OSError as exc:
        return _row(name, "failed", f"could not write {dataset.id}: {exc.strerror or exc}; "
                    "the stored copy is unchanged")
    if meta.sha256 == before:
        return _row(name, "unchanged", "same data as stored", last_date=meta.last)
    return _row(name, "updated", f"{added} months added" + (f"; {detail}" if detail else ""),
                rows_added=added,
                last_date=meta.last)


def update_french(store: Store, today: dt.date, fetch: FetchZip | None = None,
                  policy: RetryPolicy | None = None,
                  session: requests.Session | None = None) -> list[Row]:
    """Refresh every library table; one summary row each. `fetch` replaces the download
    (replay mode, tests); by default the library is asked, with the retry policy."""
    policy = policy or RetryPolicy()
    fetch = fetch or (lambda dataset: fetch_zip(dataset, policy, session))
    return [update_dataset(store, dataset, today, fetch) for dataset in DATASETS]
