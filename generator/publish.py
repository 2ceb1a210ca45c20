"""The nightly publish sequence: how an update's outcome is judged, and the local dry run.

Nightly, on GitHub Actions (.github/workflows/publish.yml), in this order:
restore the store from the ``data`` branch → update (`nightly-update`) → commit the store to the
``data`` branch → tests → site → link check → upload the Pages artifact → deploy.
Any failing step stops the run before the deploy, so the site published last stays up.

`make publish-dry-run` runs the same steps here, offline, except the upload and the deploy.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_SERIES_REJECTED,
    PrimerError,
    nightly_proceeds,
    run_command,
)
from generator.settings import Settings


@dataclass(frozen=True)
class UpdateOutcome:
    """How the nightly reads an update's exit status."""

    status: int
    proceed: bool  # build and deploy the site?
    message: str


def judge_update(status: int) -> UpdateOutcome:
    """0: all good; 1: some series rejected (go on, they keep their last good version);
    anything else: an error, stop before anything is published."""
    if status == EXIT_OK:
        return UpdateOutcome(status, True, "update OK: every series updated or unchanged")
    if status == EXIT_SERIES_REJECTED:
        return UpdateOutcome(status, nightly_proceeds(status), (
            "update finished with rejected or unreachable series: they keep their last good "
            "version and the site shows their last date; the build goes on"))
    return UpdateOutcome(status, nightly_proceeds(status), (
        f"update failed with exit status {status} (an error, not a rejected series): "
        "the build stops and the published site stays as it was"))


def github_output(**values: object) -> None:
    """Set step outputs when running on GitHub Actions (no-op elsewhere)."""
    path = os.environ.get("GITHUB_OUTPUT")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        for key, value in values.items():
            handle.write(f"{key}={value}\n")


def update_in_process(settings: Settings, series: Sequence[str] = (),
                      replay: Path | None = None) -> UpdateOutcome:
    """Run the update (`generator.update.main`) in this process and judge its exit status.

    In-process on purpose: a child Python that crashes before our CLI starts exits 1, which
    would read as "a series was rejected"; here any unexpected exception becomes EXIT_UNEXPECTED.
    """
    from generator.update import main as update_main

    return judge_update(run_command("update", lambda: update_main(settings, series,
                                                                  replay=replay)))


def nightly_update(settings: Settings, series: Sequence[str] = ()) -> int:
    """The nightly's update step: 0 when the build should go on (also when some series were
    rejected), the update's exit status otherwise. Sets the step output ``status`` to the
    update's own exit status (the data-branch commit message mentions rejections)."""
    outcome = update_in_process(settings, series)
    print(outcome.message)
    github_output(status=outcome.status)
    if os.environ.get("GITHUB_ACTIONS") == "true" and outcome.status == EXIT_SERIES_REJECTED:
        print("::warning title=Series rejected::" + outcome.message)
    return EXIT_OK if outcome.proceed else outcome.status


# --- the dry run -------------------------------------------------------------------------

@dataclass(frozen=True)
class StepResult:
    name: str
    status: str  # OK, SKIPPED, WARNING, FAILED
    seconds: float
    detail: str


Step = Callable[[], tuple[str, str]]  # returns (status, detail); raises to fail


def run_steps(steps: list[tuple[str, Step]], log: Callable[[str], None] = print
              ) -> list[StepResult]:
    """Run steps in order, printing each with its time and status; stop at the first failure."""
    results: list[StepResult] = []
    for number, (name, step) in enumerate(steps, start=1):
        log(f"[{number}/{len(steps)}] {name} …")
        start = time.perf_counter()
        try:
            status, detail = step()
        except PrimerError as exc:
            status, detail = "FAILED", str(exc)
        except subprocess.CalledProcessError as exc:
            status, detail = "FAILED", f"{exc.cmd[0]} exited {exc.returncode}"
        result = StepResult(name, status, time.perf_counter() - start, detail)
        results.append(result)
        lines = result.detail.splitlines() or [""]
        log(f"      {result.status:<8} {result.seconds:7.2f} s  {lines[0]}")
        for line in lines[1:]:
            log(f"      {'':<8} {'':>9}  {line}")
        if status == "FAILED":
            break
    return results


def _folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def dry_run(settings: Settings, run_tests: bool = True,
            log: Callable[[str], None] = print) -> int:
    """Every nightly step except upload and deploy, offline; leaves a deployable site."""
    from generator.build import build_site, site_index
    from generator.fill import fill_store
    from generator.linkcheck import check_site
    from generator.store_branch import commit_message, read_metas

    before: dict[str, dict] = {}
    state: dict[str, int] = {}

    def restore() -> tuple[str, str]:
        fill_store(settings, log=lambda _: None)  # imports the snapshot into an empty store
        before.update(read_metas(settings.store_dir))
        lasts = sorted(str(m.get("last")) for m in before.values())
        return "OK", (f"offline: the local store ({settings.store_dir}) stands in for the data "
                      f"branch: {len(before)} series, latest date {lasts[-1] if lasts else '-'}")

    def update() -> tuple[str, str]:
        if not settings.snapshot_dir.is_dir():
            return "SKIPPED", (f"offline: no snapshot at {settings.snapshot_dir} to replay the "
                               "feeds from; the nightly runs `python -m generator "
                               "nightly-update` here")
        outcome = update_in_process(settings, replay=settings.snapshot_dir)
        state["update"] = outcome.status
        if not outcome.proceed:
            raise PrimerError(outcome.message)
        status = "OK" if outcome.status == EXIT_OK else "WARNING"
        return status, f"feeds replayed from {settings.snapshot_dir}: " + outcome.message

    def save() -> tuple[str, str]:
        after = read_metas(settings.store_dir)
        message = commit_message(before, after, state.get("update"), seeded=not before)
        if message is None:
            return "OK", "no series changed: no commit, the data branch would stay as it was"
        return "OK", "would commit to the data branch:\n" + message.rstrip()

    def tests() -> tuple[str, str]:
        if not run_tests:
            return "SKIPPED", "--skip-tests"
        # The suite tests the site just built (PRIMER_TEST_SITE), as the nightly does.
        env = {**os.environ, "PRIMER_STORE": str(settings.store_dir),
               "PRIMER_TEST_SITE": str(settings.site_dir), "PRIMER_DOCS": str(settings.docs_dir),
               "PRIMER_CACHE": str(settings.cache_dir), "SITE_URL": settings.site_url}
        done = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=settings.root,
                              capture_output=True, text=True, env=env)
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        summary = lines[-1] if lines else "(no output)"
        if done.returncode != 0:
            tail = "\n".join(lines[-25:]) + ("\n" + done.stderr.strip() if done.stderr else "")
            raise PrimerError(f"tests failed: {summary}\n{tail}")
        return "OK", summary

    def site() -> tuple[str, str]:
        timings = build_site(settings, log=lambda _: None)
        pages = len(list(settings.site_dir.rglob("*.html")))
        return "OK", f"{site_index(settings)}: {pages} HTML pages, built in {timings.total:.1f} s"

    def links() -> tuple[str, str]:
        report = check_site(settings.site_dir)
        if not report.ok:
            raise PrimerError("\n".join(f"broken: {b}" for b in report.broken))
        return "OK", (f"{report.pages} pages, {report.internal} internal links "
                      f"({report.anchors} #anchors), 0 broken; {len(report.external)} "
                      "external URLs listed, not fetched")

    def deploy() -> tuple[str, str]:
        files, size = _folder_size(settings.site_dir)
        return "SKIPPED", (f"dry run: {settings.site_dir} is deployable ({files} files, "
                           f"{size / 1e6:.1f} MB); the nightly uploads it with "
                           "actions/upload-pages-artifact and deploys it with actions/deploy-pages")

    log(f"Publish dry run in {settings.root} (no network, no upload, no deploy)")
    steps: list[tuple[str, Step]] = [
        ("restore store", restore), ("update", update), ("save store (data branch)", save),
        ("site", site), ("test", tests), ("linkcheck", links), ("upload + deploy", deploy),
    ]
    start = time.perf_counter()
    results = run_steps(steps, log=log)
    total = time.perf_counter() - start
    failed = [r for r in results if r.status == "FAILED"]
    if failed:
        log(f"Dry run FAILED at '{failed[0].name}' after {total:.1f} s: the nightly would stop "
            "here and the published site would stay as it was.")
        return EXIT_ERROR
    log(f"Dry run OK in {total:.1f} s: {settings.site_dir} is ready to deploy.")
    return EXIT_OK
