"""`make lint`'s JavaScript half: ESLint over the site's own scripts (``generator/assets``).

ESLint comes from npm, pinned below, installed on first use into ``.bench/eslint/`` (git-ignored,
beside Lighthouse's project-local install); the rules are in ``eslint.config.mjs``. The vendored
plotly bundle is not ours and is not linted.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

ESLINT = ("eslint@10.16.0", "@eslint/js@10.0.1", "globals@17.14.0")


def eslint_bin(root: Path, log: Callable[[str], None] = print) -> Path | None:
    """The project-local ESLint CLI, installed with npm on first use (None without npm)."""
    prefix = root / ".bench" / "eslint"  # its own folder: npm prunes what another install lacks
    cli = prefix / "node_modules" / ".bin" / "eslint"
    marker = prefix / "eslint.installed"
    if cli.is_file() and marker.is_file() and marker.read_text() == " ".join(ESLINT):
        return cli
    if shutil.which("npm") is None:
        return None
    log(f"lint: installing {' '.join(ESLINT)} into .bench/ (once)")
    done = subprocess.run(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                           "--loglevel=error", *ESLINT],
                          capture_output=True, text=True)
    if done.returncode != 0 or not cli.is_file():
        why = (done.stderr.strip().splitlines() or ["?"])[-1]
        log(f"lint: npm could not install ESLint: {why}")
        return None
    marker.write_text(" ".join(ESLINT))
    return cli


def lint_js(root: Path, log: Callable[[str], None] = print) -> int:
    """Run ESLint on the site's scripts (generator/assets/javascripts, and the theme override's
    inline palette script under overrides/); its exit code (1 if it cannot run)."""
    cli = eslint_bin(root, log)
    if cli is None:
        log("lint: ESLint is not available (needs npm): JavaScript not linted")
        return 1
    done = subprocess.run([str(cli), "--max-warnings=0", "generator/assets/javascripts",
                           "overrides"],
                          cwd=root)
    return done.returncode
