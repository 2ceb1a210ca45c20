"""`make update`: refresh the store from the live feeds (the only command that uses the network).

Per series: fetch from a little before the last stored date (the overlap, to catch revisions)
-> `validate.plan_update` (the fetched rows, then stored history + new rows as a whole) -> store
the merged history atomically. A series that fails keeps its last good version untouched and is
reported; the others are still saved. A series with no new data is not rewritten at all.

Then a summary table, and a machine-readable run report `<store>/_update_report.json` (one entry
per series: status, reason, last date, when checked) that pages read to flag stale data.
Bounded: the run and each source have a deadline (`Settings.update_deadline`,
`source_deadline`); what it does not reach is reported unreachable, the rest saved. Off a
terminal, one plain progress line per series; what libraries print or log goes to the report.
Exit code 0 when every series is updated or unchanged (a stale-feed warning is not a failure),
1 when any was rejected or unreachable or could not be written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import json
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import requests
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from generator.catalog import SERIES, Series, get
from generator.errors import DataError, FeedError, ValidationError, update_exit_code
from generator.load import import_snapshot, load_update
from generator.outputs import store_lock
from generator.settings import Settings
from generator.sources.fred import fetch_fred, fred_csv_url
from generator.sources.noise import captured_noise
from generator.sources.replay import RecordedYahoo, fred_session
from generator.sources.retry import Deadline, RetryPolicy
from generator.sources.yahoo import fetch_bars
from generator.store import Store, atomic_write_text
from generator.update_tables import run_table_updates
from generator.validate import overlap_days, stale_warning

REPORT_NAME = "_update_report.json"
Status = Literal["updated", "unchanged", "rejected", "unreachable", "failed"]
STEPS = 3  # fetch, check, store: the length of each series' progress bar


@dataclass
class SeriesOutcome:
    """What an update did to one series. `last_date` is the last date now in the store."""

    series: str
    status: Status
    reason: str = ""
    rows_added: int = 0
    last_date: str | None = None
    rule: str = ""
    dates: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stale: bool = False
    source: str = ""
    required: bool = True
    seconds: float = 0.0  # how long the series took (fetch, check, store)
    noise: list[str] = field(default_factory=list)  # what libraries printed or logged meanwhile
    noise_lines: int = 0

    @property
    def ok(self) -> bool:
        return self.status in ("updated", "unchanged")


@dataclass
class UpdateResult:
    """The whole run; `updated` and `failed_required` are what `fill.fill_store` reads."""

    outcomes: list[SeriesOutcome]
    checked_at: str
    report_path: Path
    report_error: str = ""

    @property
    def updated(self) -> list[str]:
        return [o.series for o in self.outcomes if o.status == "updated"]

    @property
    def failed_required(self) -> list[str]:
        return [o.reason for o in self.outcomes if o.required and not o.ok]

    @property
    def exit_code(self) -> int:
        return update_exit_code(all(o.ok for o in self.outcomes) and not self.report_error)


@dataclass(frozen=True)
class Feeds:
    """How to reach the live feeds. Defaults are the real ones; tests replace the network layer
    (monkeypatched `yfinance.download`, `responses` for requests) and the policy's sleep."""

    policy: RetryPolicy = field(default_factory=RetryPolicy)
    yahoo_download: Callable[..., pd.DataFrame] | None = None  # None: yfinance.download
    http: requests.Session | None = None


def default_today() -> dt.date:
    """Today in New York, where the markets and FRED date their observations."""
    return pd.Timestamp.now(tz="America/New_York").date()


def fetch(series: Series, start: dt.date | None, today: dt.date, feeds: Feeds) -> pd.DataFrame:
    """The series from `start` (all history when None) as a normalised, unvalidated frame."""
    if series.source == "yahoo":
        # end=today is exclusive: a bar for the day in progress is not final.
        return fetch_bars(series.id, start, today, feeds.policy, feeds.yahoo_download)
    return fetch_fred(series.id, start, feeds.policy, feeds.http)


def origin(series: Series) -> str:
    if series.source == "yahoo":
        return f"live:yfinance.download({series.id!r}, auto_adjust=True)"
    return f"live:{fred_csv_url(series.id)}"


def update_series(store: Store, series: Series, today: dt.date, feeds: Feeds,
                  now: dt.datetime, step: Callable[[str], None] = lambda _: None
                  ) -> SeriesOutcome:
    """Fetch, check and (if anything changed) store one series; never raises for feed trouble."""
    outcome = SeriesOutcome(series=series.id, status="unchanged", source=series.source,
                            required=series.required)
    stored = None
    if store.has(series):
        try:
            stored = store.read_series(series)
        except DataError as exc:
            outcome.status, outcome.reason = "failed", str(exc)
            return outcome
        outcome.last_date = f"{stored.index[-1]:%Y-%m-%d}"
        if series.source == "yahoo" and stored.index[-1].date() >= today:
            # Yahoo is asked for bars before today; the store already reaches today.
            outcome.reason = f"already holds {outcome.last_date}; nothing final to add yet"
            return outcome
    start = None if stored is None else stored.index[-1].date() - dt.timedelta(
        days=overlap_days(series))

    step("fetching")
    try:
        fetched = fetch(series, start, today, feeds)
        step("checking")
        plan = load_update(store, series, stored, fetched, origin=origin(series), today=today,
                           where=f"{series.source} feed", fetched_at=now)
    except ValidationError as exc:  # includes ResponseError: empty, HTML, truncated, columns
        outcome.status, outcome.reason = "rejected", str(exc)
        outcome.rule, outcome.dates = exc.rule, exc.dates
        return _with_staleness(outcome, series, today)
    except FeedError as exc:
        outcome.status, outcome.reason = "unreachable", str(exc)
        return _with_staleness(outcome, series, today)
    except DataError as exc:
        outcome.status, outcome.reason, outcome.rule = "rejected", str(exc), "unparseable response"
        return _with_staleness(outcome, series, today)
    except OSError as exc:  # the atomic write failed: the old files stay
        outcome.status = "failed"
        outcome.reason = (f"{series.id}: could not write {store.csv_path(series)}: "
                          f"{exc.strerror or exc}; the stored copy is unchanged")
        return _with_staleness(outcome, series, today)

    step("storing")
    last = f"{plan.merged.index[-1]:%Y-%m-%d}"
    if not plan.changed:
        outcome.reason = f"no new data after {last}"
    else:
        outcome.status, outcome.rows_added = "updated", len(plan.added)
        outcome.reason = "; ".join(plan.notes)
    outcome.last_date = last
    return _with_staleness(outcome, series, today)


def _with_staleness(outcome: SeriesOutcome, series: Series, today: dt.date) -> SeriesOutcome:
    if outcome.last_date:
        warning = stale_warning(series, dt.date.fromisoformat(outcome.last_date), today)
        if warning:
            outcome.stale = True
            outcome.warnings.append(warning)
    return outcome


@contextmanager
def _update_lock(store_dir: Path) -> Iterator[None]:
    """One update at a time per store (a second one fails at once instead of interleaving).

    The lock is taken on the store folder itself, so it leaves no file behind.
    """
    store_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(store_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DataError(f"another update is running on {store_dir}") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def replay_feeds(snapshot_dir: Path, policy: RetryPolicy | None = None) -> Feeds:
    """Feeds that answer from a snapshot folder (`--replay`), through the real fetch code."""
    if not snapshot_dir.is_dir():
        raise DataError(f"--replay {snapshot_dir}: no such snapshot folder to replay")
    return Feeds(policy=policy or RetryPolicy(), yahoo_download=RecordedYahoo(snapshot_dir),
                 http=fred_session(snapshot_dir))


def run_update(settings: Settings, series_ids: Sequence[str] | None = None,
               today: dt.date | None = None, feeds: Feeds | None = None,
               console: Console | None = None, tables: bool = False,
               replay: Path | None = None) -> UpdateResult:
    """Update `series_ids` (default: every catalog series), showing progress on `console`;
    then, with `tables`, the stored tables (IWM holdings, members' closes), answered from the
    snapshot folder `replay` when given."""
    chosen = [get(i) for i in series_ids] if series_ids else list(SERIES)
    today = today or default_today()
    feeds = feeds or Feeds()
    console = console or Console()
    # Pin the console to the stream it writes to now: while a feed is fetched, stdout and
    # stderr are captured (library noise goes to the report, not the terminal).
    console.file = console.file
    store = Store(settings.store_dir)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    run_deadline = Deadline.after(
        settings.update_deadline, f"the update's deadline ({settings.update_deadline:g} s)"
    ).earlier(feeds.policy.deadline)
    source_deadlines: dict[str, Deadline] = {}

    def deadline_for(source: str) -> Deadline:
        """Each source's budget starts when its first series does; none outlives the run's."""
        if source not in source_deadlines:
            source_deadlines[source] = Deadline.after(
                settings.source_deadline,
                f"the {source} deadline ({settings.source_deadline:g} s)").earlier(run_deadline)
        return source_deadlines[source]

    outcomes: list[SeriesOutcome] = []
    with _update_lock(settings.store_dir):
        for leftover in store.remove_stale_temp_files():
            console.print(f"removed a temp file left by an interrupted write: {leftover}",
                          markup=False)
        # On a terminal, rich's bars; elsewhere (CI logs), one plain line per series.
        with Progress(SpinnerColumn(), TextColumn("{task.description:<14}"), BarColumn(),
                      TextColumn("{task.fields[state]}"), console=console,
                      redirect_stdout=False, redirect_stderr=False,
                      disable=not console.is_terminal) as progress:
            down: set[str] = set()  # feeds found unreachable in this run
            for number, series in enumerate(chosen, start=1):
                task = progress.add_task(series.id, total=STEPS, state="waiting")

                def step(state: str, task=task) -> None:
                    progress.update(task, advance=1 if state != "fetching" else 0, state=state)

                # Once a feed has failed a whole retry cycle, the rest of its series get one
                # attempt each: an offline run ends in seconds, not a backoff per series.
                policy = dataclasses.replace(feeds.policy, deadline=deadline_for(series.source))
                if series.source in down:
                    policy = dataclasses.replace(policy, attempts=1)
                began = time.monotonic()
                with captured_noise() as noise:
                    outcome = update_series(store, series, today,
                                            dataclasses.replace(feeds, policy=policy), now, step)
                outcome.seconds = round(time.monotonic() - began, 2)
                outcome.noise, outcome.noise_lines = noise.lines, noise.total
                if outcome.status == "unreachable":
                    if series.source in down and "deadline" not in outcome.reason:
                        outcome.reason += f" (one attempt: {series.source} was unreachable " \
                                          "for an earlier series)"
                    down.add(series.source)
                else:
                    down.discard(series.source)
                progress.update(task, completed=STEPS, state=outcome.status)
                if not console.is_terminal:
                    console.print(progress_line(outcome, number, len(chosen)), markup=False,
                                  highlight=False, soft_wrap=True)
                outcomes.append(outcome)
        if tables:
            policy = dataclasses.replace(feeds.policy, deadline=run_deadline)
            outcomes.extend(table_outcomes(settings, today, policy, console, replay))
        result = UpdateResult(outcomes, checked_at=f"{now:%Y-%m-%dT%H:%M:%SZ}",
                              report_path=settings.store_dir / REPORT_NAME)
        try:
            write_report(result)
        except OSError as exc:
            result.report_error = (f"could not write the run report {result.report_path}: "
                                   f"{exc.strerror or exc}")
    return result


def progress_line(outcome: SeriesOutcome, number: int, total: int) -> str:
    """One plain line for a finished series (the progress off a terminal, e.g. in CI logs)."""
    added = f"+{outcome.rows_added} rows" if outcome.rows_added else "no new rows"
    noise = f", {outcome.noise_lines} library lines to the report" if outcome.noise_lines else ""
    return (f"[{number}/{total}] {outcome.series}: {outcome.status}, {added}, last "
            f"{outcome.last_date or '-'} ({outcome.seconds:.1f} s{noise})")


def table_outcomes(settings: Settings, today: dt.date, policy: RetryPolicy, console: Console,
                   replay: Path | None = None) -> list[SeriesOutcome]:
    """The table updates as summary rows. A members run where some tickers failed and kept
    their last good data is "updated" with a warning naming them; a refused holdings file or an
    unusable members run is "rejected" (the stored table stays) and fails the run."""
    def log(line: str) -> None:
        console.print(line, markup=False, highlight=False, soft_wrap=True)

    rows = run_table_updates(settings, today, log=log, retry=policy, replay=replay,
                             source_seconds=settings.source_deadline,
                             console=console if console.is_terminal else None)
    outcomes = []
    for row in rows:
        status = str(row["status"])
        outcome = SeriesOutcome(
            series=str(row["series"]), status="updated" if status == "partial" else status,
            reason=str(row["reason"]), rows_added=int(row["rows_added"]),  # type: ignore[call-overload]
            last_date=str(row["last_date"]) or None, required=False,
            source=("ishares" if "holdings" in str(row["series"]) else
                    "french" if str(row["series"]).startswith("French") else "yahoo"),
            seconds=float(row.get("seconds", 0.0)),  # type: ignore[arg-type]
            noise=list(row.get("noise", [])),  # type: ignore[call-overload]
            noise_lines=int(row.get("noise_lines", 0)))  # type: ignore[call-overload]
        if status == "partial":
            outcome.warnings.append(f"{row['series']}: {row['reason']}")
        if not console.is_terminal:
            log(progress_line(outcome, len(outcomes) + 1, len(rows)))
        outcomes.append(outcome)
    return outcomes


def write_report(result: UpdateResult) -> None:
    """Write the run report atomically, keeping earlier entries for series not run this time."""
    entries: dict[str, dict[str, Any]] = {}
    if result.report_path.is_file():
        try:
            previous = json.loads(result.report_path.read_text())
            entries = {e["series"]: e for e in previous.get("series", [])}
        except (ValueError, KeyError, TypeError, AttributeError):
            entries = {}  # an unreadable old report is simply replaced
    for outcome in result.outcomes:
        entry = dataclasses.asdict(outcome)
        entry["checked_at"] = result.checked_at
        entries[outcome.series] = entry
    order = {s.id: n for n, s in enumerate(SERIES)}
    report = {
        "checked_at": result.checked_at,
        "exit_code": result.exit_code,
        "series": sorted(entries.values(), key=lambda e: order.get(e["series"], len(order))),
    }
    atomic_write_text(result.report_path, json.dumps(report, indent=2) + "\n")


def read_report(store_dir: Path) -> dict[str, dict[str, Any]]:
    """The last run report as {series id: entry} ({} if no update has run yet)."""
    path = store_dir / REPORT_NAME
    if not path.is_file():
        return {}
    try:
        return {e["series"]: e for e in json.loads(path.read_text())["series"]}
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(f"unreadable update report {path}: {exc}") from None


STYLES = {"updated": "green", "unchanged": "dim", "rejected": "bold red",
          "unreachable": "bold red", "failed": "bold red"}


def _short_reason(o: SeriesOutcome) -> str:
    """The table's reason cell (the full message follows the table): a rejection's rule and
    first date, an unreachable feed's HTTP status and attempts, or an update's note."""
    if o.rule:
        return f"{o.rule} {o.dates[0]}{' …' if len(o.dates) > 1 else ''}" if o.dates else o.rule
    if o.status == "unreachable":
        found = [m.group(0) for m in (re.search(r"HTTP \d{3}", o.reason),
                                      re.search(r"\d+ attempt\(s\)", o.reason)) if m]
        return ", ".join(found) + " (below)"
    if o.status == "failed":
        return "write failed (below)" if "could not write" in o.reason else "see below"
    return o.reason if len(o.reason) <= 60 else o.reason[:59] + "…"


def print_summary(result: UpdateResult, console: Console) -> None:
    """The summary table, then every rejection, failure and warning in full (one line each)."""
    table = Table(title="make update")
    for name, justify in (("series", "left"), ("rows added", "right"), ("last date", "left"),
                          ("status", "left"), ("reason", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for o in result.outcomes:
        status = o.status + (" (stale)" if o.stale else "")
        table.add_row(o.series, str(o.rows_added), o.last_date or "—",
                      f"[{STYLES[o.status]}]{status}[/]", escape(_short_reason(o)))
    console.print(table)
    for o in result.outcomes:
        if not o.ok:
            console.print(f"[bold red]{o.status}[/] {escape(o.reason)}", soft_wrap=True,
                          highlight=False)
    for o in result.outcomes:
        for warning in o.warnings:
            console.print(f"[yellow]warning[/] {escape(warning)}", soft_wrap=True,
                          highlight=False)
    if result.report_error:
        console.print(f"[bold red]failed[/] {escape(result.report_error)}", soft_wrap=True,
                      highlight=False)
    noisy = [o for o in result.outcomes if o.noise_lines]
    if noisy:
        console.print(f"{sum(o.noise_lines for o in noisy)} lines that libraries printed or "
                      f"logged ({len(noisy)} series) are in the run report, not shown here.",
                      highlight=False)
    counts = {s: sum(o.status == s for o in result.outcomes) for s in STYLES}
    if all(o.status == "unchanged" for o in result.outcomes):
        console.print(f"No new data: the store is unchanged ({len(result.outcomes)} series "
                      "checked, no file rewritten).")
    else:
        console.print(", ".join(f"{n} {s}" for s, n in counts.items() if n)
                      + f"; report: {result.report_path}", highlight=False)


def main(settings: Settings, series: Sequence[str] = (), *, replay: Path | None = None,
         today: dt.date | None = None, feeds: Feeds | None = None,
         console: Console | None = None) -> int:
    """`python -m generator update [--replay FOLDER] [series...]`: returns the exit code (0 ok,
    1 any series not updated or unchanged). `replay` answers every feed from a snapshot folder
    (no network); `feeds` replaces the network layer (tests) and then covers the series only."""
    ids = list(series)
    try:
        for series_id in ids:
            get(series_id)
    except KeyError as exc:
        raise DataError(str(exc.args[0])) from None
    console = console or Console()
    if replay is not None and feeds is None:
        feeds = replay_feeds(replay)
        console.print(f"Replaying recorded feeds from {replay}; no network.", markup=False)
    # The stored tables (holdings, ~1,900 members' closes) refresh on a full run of the real
    # feeds or of the replayed ones; a run given its own feeds (tests) covers the series only.
    tables = not ids and (feeds is None or replay is not None)
    # Import what the store lacks from the snapshot first: the feeds serve less history than it
    # holds (FRED gives ~3 years of the ICE BofA spreads), so fetch only the rest.
    # The store is written under its exclusive lock: a build started meanwhile waits and then
    # reads one consistent state (all of tonight's data or none of it), never a mix.
    with store_lock(settings.store_dir, exclusive=True,
                    log=lambda line: console.print(line, markup=False)):
        import_snapshot(settings, log=lambda line: console.print(line, markup=False),
                        tables=tables)
        result = run_update(settings, ids or None, today=today, feeds=feeds, console=console,
                            tables=tables, replay=replay)
    print_summary(result, console)
    return result.exit_code
