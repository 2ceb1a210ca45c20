"""Keep the data store on a git branch of its own (git-scraping style) between nightly runs.

The store (``data/store``) is git-ignored on ``main``: the snapshot data is never committed there.
The nightly job checks the ``data`` branch out *into* ``data/store`` as a git worktree, lets
`update` change the files, then commits what changed (its message saying which series moved to
which date) and pushes the branch.

The branch stays small: it holds two commits, tonight's store and the previous night's (``data~1``,
to compare or fall back to), never a longer history. The members' closes are a ~10 MB Parquet
table that dividend re-adjustments rewrite most nights; a commit per night would add ~2.5 GB a
year. So each save makes the previous store a parentless commit and puts tonight's on top of it,
and the push replaces the branch (``--force-with-lease`` on the commit restored, so a push that
raced another is refused, never lost). The night-by-night record is each run's log and commit
message; the repository keeps at most two stores (after GitHub's garbage collection).

The first run finds no ``data`` branch: the worktree starts empty on a new orphan branch, the
update fills it with full history (its seeding run), and the first commit creates the branch.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.errors import DataError

DEFAULT_BRANCH = "data"
DEFAULT_REMOTE = "origin"
# The identity GitHub documents for commits made by a workflow with its GITHUB_TOKEN.
BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
META_SUFFIX = ".meta.json"

Meta = dict[str, object]  # one parsed <id>.meta.json


def git(args: list[str], cwd: Path, check: bool = True, stdin: str | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run git in `cwd`; on failure raise DataError with git's own message."""
    done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, text=True,
                          env={**os.environ, **env} if env else None)
    if check and done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().replace("\n", " | ")
        raise DataError(f"git {' '.join(args)} (in {cwd}) failed: {detail}")
    return done


def remote_has_branch(repo: Path, remote: str, branch: str) -> bool:
    """Whether `remote` has `branch` (asks the remote; `git ls-remote` exits 2 when it has not)."""
    done = git(["ls-remote", "--exit-code", "--heads", remote, branch], repo, check=False)
    if done.returncode == 0:
        return True
    if done.returncode == 2:
        return False
    raise DataError(f"cannot ask {remote} for its {branch} branch: {done.stderr.strip()}")


@dataclass(frozen=True)
class Restored:
    """What `restore_store` found: the commit restored (None on a first run) and its series."""

    sha: str | None
    series: int

    def describe(self, branch: str) -> str:
        if self.sha is None:
            return (f"no {branch} branch yet: the store starts empty on a new orphan branch; "
                    "the update seeds it with full history")
        return f"restored {self.series} series from {branch}@{self.sha[:12]}"


def restore_store(repo: Path, store_dir: Path, branch: str = DEFAULT_BRANCH,
                  remote: str = DEFAULT_REMOTE) -> Restored:
    """Check `branch` of `remote` out into `store_dir` (which must be missing or empty)."""
    if store_dir.exists():
        if any(store_dir.iterdir()):
            raise DataError(f"{store_dir} is not empty: restore the {branch} branch into a "
                            "fresh checkout (the nightly job starts from one)")
        store_dir.rmdir()
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    if remote_has_branch(repo, remote, branch):
        tracking = f"refs/remotes/{remote}/{branch}"
        # The newest commit is all the job needs; history stays on the remote.
        git(["fetch", "--no-tags", "--depth=1", remote, f"+refs/heads/{branch}:{tracking}"], repo)
        git(["worktree", "add", "--detach", str(store_dir), tracking], repo)
        sha = git(["rev-parse", "HEAD"], store_dir).stdout.strip()
        return Restored(sha=sha, series=len(read_metas(store_dir)))
    # First run: an empty worktree on a new orphan branch (no files of main in it).
    git(["worktree", "add", "--no-checkout", "--detach", str(store_dir), "HEAD"], repo)
    git(["checkout", "--quiet", "--orphan", branch], store_dir)  # (this writes main's files)
    git(["rm", "-r", "-f", "--quiet", "--ignore-unmatch", "."], store_dir)
    git(["clean", "-f", "-d", "-x", "--quiet"], store_dir)
    return Restored(sha=None, series=0)


def read_metas(store_dir: Path) -> dict[str, Meta]:
    """Every ``*.meta.json`` under `store_dir`, keyed by its store-relative POSIX path."""
    metas: dict[str, Meta] = {}
    for path in sorted(store_dir.rglob(f"*{META_SUFFIX}")):
        if ".git" in path.relative_to(store_dir).parts:
            continue
        try:
            metas[path.relative_to(store_dir).as_posix()] = json.loads(path.read_text())
        except ValueError as exc:
            raise DataError(f"unreadable metadata {path}: {exc}") from None
    return metas


def describe_changes(old: dict[str, Meta], new: dict[str, Meta]) -> list[str]:
    """One line per series whose metadata differs between two stores (paths as keys)."""
    lines: list[str] = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        name = str((after or before or {}).get("series_id") or key.removesuffix(META_SUFFIX))
        if before is None:
            assert after is not None
            lines.append(f"{name}: new, {after.get('first')} .. {after.get('last')}, "
                         f"{after.get('rows')} rows")
        elif after is None:
            lines.append(f"{name}: removed (was {before.get('first')} .. {before.get('last')})")
        else:
            added = int(after.get("rows", 0)) - int(before.get("rows", 0))  # type: ignore[call-overload]
            detail = f"{before.get('last')} -> {after.get('last')}, {added:+d} rows"
            if before.get("last") == after.get("last") and added == 0:
                detail = f"revised, still ending {after.get('last')}"
            lines.append(f"{name}: {detail}")
    return lines


def commit_message(old: dict[str, Meta], new: dict[str, Meta], update_status: int | None = None,
                   run_url: str | None = None, seeded: bool = False) -> str | None:
    """The nightly commit's message, or None when no series changed (`seeded`: first commit)."""
    lines = describe_changes(old, new)
    if not lines:
        return None
    changed = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
    fresh = [k for k in changed if k not in old]
    lasts = sorted(str(new[k].get("last")) for k in changed if k in new)
    latest = lasts[-1] if lasts else "?"
    if seeded:
        subject = f"Store seeded: {len(fresh)} series, full history to {latest}"
    else:
        extra = f" ({len(fresh)} new)" if fresh else ""
        subject = f"Store: {len(changed)} series updated{extra}, latest date {latest}"
    body = list(lines)
    if update_status:
        body += ["", f"update exited {update_status}: at least one series was rejected or "
                     "unreachable and keeps its last good version (see the run log)."]
    if run_url:
        body += ["", f"Run: {run_url}"]
    return subject + "\n\n" + "\n".join(body) + "\n"


def github_run_url() -> str | None:
    """This workflow run's URL when running on GitHub Actions."""
    server, repo, run = (os.environ.get(k) for k in
                         ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"))
    return f"{server}/{repo}/actions/runs/{run}" if server and repo and run else None


@dataclass(frozen=True)
class Saved:
    """What `save_store` did: the branch's commit afterwards and the message, if it committed."""

    sha: str
    message: str | None
    pushed: bool


def save_store(store_dir: Path, branch: str = DEFAULT_BRANCH, remote: str = DEFAULT_REMOTE,
               update_status: int | None = None, push: bool = True) -> Saved:
    """Commit every change in the restored store worktree and push it to `remote`'s `branch`.

    No change: no commit, nothing pushed (a quiet night leaves the branch as it was).
    """
    if not (store_dir / ".git").exists():
        raise DataError(f"{store_dir} is not a checkout of the {branch} branch: run "
                        "`python -m generator store-branch restore` before the update")
    git(["add", "--all", "."], store_dir)
    has_head = git(["rev-parse", "--verify", "--quiet", "HEAD"], store_dir, check=False)
    status = git(["diff", "--cached", "--name-status", "--no-renames"], store_dir).stdout
    changes = [line.split("\t", 1) for line in status.splitlines() if "\t" in line]
    if not changes:
        if has_head.returncode != 0:
            raise DataError(f"{store_dir} is still empty after the update: nothing to publish")
        return Saved(sha=has_head.stdout.strip(), message=None, pushed=False)
    old: dict[str, Meta] = {}
    new: dict[str, Meta] = {}
    for code, path in changes:
        if not path.endswith(META_SUFFIX):
            continue
        if code != "A" and has_head.returncode == 0:
            old[path] = json.loads(git(["show", f"HEAD:{path}"], store_dir).stdout)
        if code != "D":
            new[path] = json.loads((store_dir / path).read_text())
    message = commit_message(old, new, update_status, github_run_url(),
                             seeded=has_head.returncode != 0)
    if message is None:  # files changed but no metadata did: say which
        message = "Store: files changed\n\n" + "\n".join(f"{c} {p}" for c, p in changes) + "\n"
    before = has_head.stdout.strip() if has_head.returncode == 0 else None
    sha = commit_on_previous(store_dir, message, before)
    if push:
        push_store(store_dir, branch, remote, before)
    return Saved(sha=sha, message=message, pushed=push)


BOT = {"GIT_AUTHOR_NAME": BOT_NAME, "GIT_AUTHOR_EMAIL": BOT_EMAIL,
       "GIT_COMMITTER_NAME": BOT_NAME, "GIT_COMMITTER_EMAIL": BOT_EMAIL}


def commit_on_previous(store_dir: Path, message: str, previous: str | None) -> str:
    """Commit the staged store with one parent: the `previous` store as a parentless commit
    (same tree, message, author and dates, so the same store always gets the same id). The
    branch then never holds more than two stores. Returns the new commit's id."""
    parents: list[str] = []
    if previous is not None:
        # Re-root it whatever git shows of its parents: the nightly's checkout is shallow, so
        # the previous commit always looks parentless there while it has parents on the remote.
        raw = git(["cat-file", "commit", previous], store_dir).stdout
        headers, _, body = raw.partition("\n\n")
        people = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in headers.splitlines()
                  if line.startswith(("author ", "committer "))}
        env: dict[str, str] = {}
        for role, key in (("author", "AUTHOR"), ("committer", "COMMITTER")):
            name, _, rest = people[role].partition(" <")
            email, _, date = rest.partition("> ")
            env |= {f"GIT_{key}_NAME": name, f"GIT_{key}_EMAIL": email, f"GIT_{key}_DATE": date}
        root = git(["commit-tree", f"{previous}^{{tree}}", "-F", "-"], store_dir, stdin=body,
                   env=env).stdout.strip()
        parents = ["-p", root]
    tree = git(["write-tree"], store_dir).stdout.strip()
    sha = git(["commit-tree", tree, *parents, "-F", "-"], store_dir, stdin=message,
              env=BOT).stdout.strip()
    git(["update-ref", "HEAD", sha], store_dir)
    return sha


def push_store(store_dir: Path, branch: str = DEFAULT_BRANCH, remote: str = DEFAULT_REMOTE,
               expected: str | None = None) -> None:
    """Replace `remote`'s `branch` with HEAD, provided it is still at `expected` (the commit
    restored; None: the branch must not exist yet). A race with another push is an error."""
    lease = f"--force-with-lease=refs/heads/{branch}:{expected or ''}"
    git(["push", "--quiet", lease, remote, f"HEAD:refs/heads/{branch}"], store_dir)
