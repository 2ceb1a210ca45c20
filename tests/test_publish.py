"""The nightly's reading of an update's exit status, and the local publish dry run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import cli
from generator.errors import (
    EXIT_ERROR,
    EXIT_SERIES_REJECTED,
    EXIT_UNEXPECTED,
    BuildError,
    FeedError,
)
from generator.linkcheck import check_site
from generator.publish import dry_run, judge_update, nightly_update, run_steps
from generator.settings import Settings


@pytest.mark.parametrize(("status", "proceed"), [
    (0, True), (EXIT_SERIES_REJECTED, True), (EXIT_ERROR, False), (EXIT_UNEXPECTED, False),
    (130, False), (7, False),
])
def test_judge_update(status: int, proceed: bool) -> None:
    assert judge_update(status).proceed is proceed


def test_exit_codes_are_distinct_and_errors_never_use_1() -> None:
    assert len({0, EXIT_SERIES_REJECTED, EXIT_ERROR, EXIT_UNEXPECTED}) == 4
    assert FeedError("^RUT", "timeout").exit_code == EXIT_ERROR
    assert BuildError("x").exit_code == EXIT_ERROR


def _fake_update(monkeypatch: pytest.MonkeyPatch, behaviour) -> list[tuple]:
    """Replace `generator.update.main` (called as a function, with arguments)."""
    from generator import update

    calls: list[tuple] = []

    def fake(settings, series, *, replay=None):
        calls.append((list(series), replay))
        return behaviour()

    monkeypatch.setattr(update, "main", fake)
    return calls


@pytest.mark.parametrize(("behaviour", "update_status", "step_status"), [
    (lambda: 0, 0, 0),
    (lambda: EXIT_SERIES_REJECTED, 1, 0),  # rejected series: the build goes on
    (lambda: (_ for _ in ()).throw(FeedError("^RUT", "HTTP 500")), 2, 2),
    (lambda: (_ for _ in ()).throw(KeyError("close")), 3, 3),  # a bug is not a rejection
])
def test_nightly_update_goes_on_only_for_rejected_series(
        monkeypatch, tmp_path: Path, capsys, behaviour, update_status, step_status) -> None:
    output = tmp_path / "github_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    calls = _fake_update(monkeypatch, behaviour)
    assert nightly_update(Settings.from_env(), ["^RUT"]) == step_status
    assert calls == [(["^RUT"], None)]
    assert output.read_text() == f"status={update_status}\n"
    out = capsys.readouterr().out
    assert ("::warning title=Series rejected::" in out) is (update_status == 1)


def test_nightly_update_through_the_cli(monkeypatch, capsys) -> None:
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    _fake_update(monkeypatch, lambda: EXIT_SERIES_REJECTED)
    assert cli.main(["nightly-update"]) == 0
    assert "the build goes on" in capsys.readouterr().out


def test_run_steps_reports_each_step_and_stops_at_the_first_failure() -> None:
    ran: list[str] = []
    lines: list[str] = []

    def step(name: str, status: str = "OK"):
        def run() -> tuple[str, str]:
            ran.append(name)
            if status == "FAILED":
                raise BuildError(f"{name} broke\nsecond line")
            return status, f"{name} done"
        return run

    results = run_steps([("a", step("a")), ("b", step("b", "SKIPPED")),
                         ("c", step("c", "FAILED")), ("d", step("d"))], log=lines.append)
    assert ran == ["a", "b", "c"]
    assert [(r.name, r.status) for r in results] == [("a", "OK"), ("b", "SKIPPED"),
                                                     ("c", "FAILED")]
    assert lines[0] == "[1/4] a …"
    assert lines[1].split()[0] == "OK" and lines[1].split()[2] == "s"
    assert lines[-2].split()[:1] == ["FAILED"] and lines[-2].endswith("c broke")
    assert lines[-1].strip() == "second line"


@pytest.fixture()
def filled_settings(tmp_settings, built_site):
    """Fresh output folders and a copy of the session's store (no second snapshot import) and
    of its figure and facts cache (the dry run's build restores them instead of recomputing)."""
    shutil.copytree(built_site.store_dir, tmp_settings.store_dir)
    shutil.copytree(built_site.cache_dir, tmp_settings.cache_dir)
    return tmp_settings


def test_dry_run_leaves_a_deployable_site(filled_settings, monkeypatch) -> None:
    tmp_settings = filled_settings
    calls = _fake_update(monkeypatch, lambda: EXIT_SERIES_REJECTED)
    lines: list[str] = []
    assert dry_run(tmp_settings, run_tests=False, log=lines.append) == 0
    text = "\n".join(lines)
    for number, name in enumerate(["restore store", "update", "save store (data branch)",
                                   "site", "test", "linkcheck", "upload + deploy"], start=1):
        assert f"[{number}/7] {name} …" in text
    # The update is called as a function, its feeds replayed from the snapshot folder.
    assert calls == [([], tmp_settings.snapshot_dir)]
    assert "WARNING" in text and f"feeds replayed from {tmp_settings.snapshot_dir}" in text
    assert "no series changed: no commit" in text
    assert (tmp_settings.site_dir / "index.html").is_file()
    assert check_site(tmp_settings.site_dir).ok
    assert lines[-1].startswith("Dry run OK")


def test_dry_run_stops_before_deploy_when_a_step_fails(filled_settings, monkeypatch) -> None:
    tmp_settings = filled_settings
    _fake_update(monkeypatch, lambda: 0)
    monkeypatch.setattr("generator.build.build_site",
                        lambda settings, log: (_ for _ in ()).throw(BuildError("mkdocs broke")))
    lines: list[str] = []
    assert dry_run(tmp_settings, run_tests=False, log=lines.append) == EXIT_ERROR
    assert not any(line.startswith("[6/7]") for line in lines)
    assert "Dry run FAILED at 'site'" in lines[-1]
