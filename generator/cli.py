"""Command line: `python -m generator site|update|serve|bench|linkcheck|…`. The Makefile and
the GitHub workflows call these. Exit statuses: see generator/errors.py (0 OK, 1 update finished
with rejected series, 2 an error, 3 an unexpected exception)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from generator.errors import run_command
from generator.settings import Settings


def cmd_site(settings: Settings, args: argparse.Namespace) -> int:
    from generator.build import build_site, site_index

    render = not getattr(args, "no_mkdocs", False)
    timings = build_site(settings, mkdocs=render)
    for name, seconds in timings.stages.items():
        print(f"  {name:<10} {seconds:6.2f} s")
    print(f"  {'total':<10} {timings.total:6.2f} s")
    if render:
        print(f"Site built: {site_index(settings)}  (preview with `make serve`)")
    else:
        print(f"Docs written: {settings.docs_dir} (not rendered)")
    return 0


def cmd_update(settings: Settings, args: argparse.Namespace) -> int:
    from generator.update import main as update_main

    return update_main(settings, args.series, replay=args.replay)


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Live preview on localhost: rebuilds on every change and reloads the browser."""
    from generator.serve import serve

    return serve(settings, args.port)


def cmd_facts(settings: Settings, args: argparse.Namespace) -> int:
    """List every fact a page source can use, with its formatted value and unit."""
    from generator.errors import BuildError
    from generator.fill import fill_store
    from generator.store import Store
    from generator.topics import fact_lines, topic_facts, topic_names

    fill_store(settings, log=lambda _: None)
    store = Store(settings.store_dir)
    topics = [args.page] if args.page else topic_names()
    for topic in topics:
        try:
            facts = topic_facts(store, topic)
        except KeyError as exc:
            raise BuildError(exc.args[0]) from None
        for key, value, unit in fact_lines(facts):
            print(f"{key}\t{value}\t{unit}")
    return 0


def cmd_bench(settings: Settings, args: argparse.Namespace) -> int:
    from generator.bench import main as bench_main

    return bench_main(settings, lighthouse=not args.no_lighthouse)


def cmd_lint_js(settings: Settings, args: argparse.Namespace) -> int:
    from generator.jslint import lint_js

    return lint_js(settings.root)


def cmd_linkcheck(settings: Settings, args: argparse.Namespace) -> int:
    """Check every internal link and anchor of the built site; one line per broken link."""
    from generator.errors import BuildError
    from generator.linkcheck import check_site, format_report

    site_dir = Path(args.site) if args.site else settings.site_dir
    if not (site_dir / "index.html").is_file():
        raise BuildError(f"no built site at {site_dir} (run `make site` first)")
    report = check_site(site_dir)
    for line in format_report(report, site_dir, list_external=not args.quiet):
        print(line)
    return 0 if report.ok else 1


def cmd_nightly_update(settings: Settings, args: argparse.Namespace) -> int:
    from generator.publish import nightly_update

    return nightly_update(settings, args.series)


def cmd_store_branch(settings: Settings, args: argparse.Namespace) -> int:
    """Restore the store from / save it to its git branch (the nightly job's persistence)."""
    from generator.publish import github_output
    from generator.store_branch import restore_store, save_store

    if args.action == "restore":
        restored = restore_store(settings.root, settings.store_dir, args.branch, args.remote)
        print(restored.describe(args.branch))
        github_output(sha=restored.sha or "")
        return 0
    status = int(args.update_status) if args.update_status not in (None, "") else None
    saved = save_store(settings.store_dir, args.branch, args.remote, update_status=status,
                       push=not args.no_push)
    if saved.message is None:
        print(f"store unchanged: nothing to commit; {args.branch} stays at {saved.sha[:12]}")
    else:
        where = f"pushed to {args.remote}/{args.branch}" if saved.pushed else "not pushed"
        print(f"committed {saved.sha[:12]} ({where}):\n{saved.message}")
    github_output(sha=saved.sha, committed=str(saved.message is not None).lower())
    return 0


def cmd_publish_dry_run(settings: Settings, args: argparse.Namespace) -> int:
    from generator.publish import dry_run

    return dry_run(settings, run_tests=not args.skip_tests)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    site = sub.add_parser("site", help="build the whole site offline from the store")
    site.add_argument("--no-mkdocs", action="store_true",
                      help="write the docs folder only (make serve renders it live)")
    update = sub.add_parser("update", help="refresh the store from the live feeds")
    update.add_argument("series", nargs="*", help="only these series ids (default: all)")
    update.add_argument("--replay", type=Path, metavar="FOLDER",
                        help="answer every feed from this snapshot folder (no network)")
    serve = sub.add_parser("serve", help="live preview on localhost, rebuilt on every change")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    facts = sub.add_parser("facts", help="list every fact a page can use, formatted")
    facts.add_argument("page", nargs="?", help="one page (e.g. etfs, what-it-is)")
    bench = sub.add_parser("bench", help="measure build time, page weight and Lighthouse")
    bench.add_argument("--no-lighthouse", action="store_true",
                       help="skip the Lighthouse runs (build times and weights only)")
    sub.add_parser("lint-js", help="ESLint on the site's own JavaScript (npm, into .bench/)")
    linkcheck = sub.add_parser("linkcheck", help="check the built site's internal links/anchors")
    linkcheck.add_argument("--site", help="site folder (default: the built site, PRIMER_SITE)")
    linkcheck.add_argument("--quiet", action="store_true", help="do not list external URLs")
    nightly = sub.add_parser("nightly-update", help=(
        "the nightly's update: exit 0 also when some series were rejected, non-zero on errors"))
    nightly.add_argument("series", nargs="*", help="only these series ids (default: all)")
    branch = sub.add_parser("store-branch", help="restore/save the store on its git branch")
    branch.add_argument("action", choices=["restore", "save"])
    branch.add_argument("--branch", default="data")
    branch.add_argument("--remote", default="origin")
    branch.add_argument("--update-status", help="the update's exit status (commit message)")
    branch.add_argument("--no-push", action="store_true", help="commit but do not push")
    dry = sub.add_parser("publish-dry-run", help="every publish step but upload/deploy, offline")
    dry.add_argument("--skip-tests", action="store_true", help="leave out the test step")
    return top


COMMANDS = {"site": cmd_site, "update": cmd_update, "serve": cmd_serve, "bench": cmd_bench,
            "facts": cmd_facts, "lint-js": cmd_lint_js, "linkcheck": cmd_linkcheck,
            "nightly-update": cmd_nightly_update,
            "store-branch": cmd_store_branch, "publish-dry-run": cmd_publish_dry_run}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    return run_command(args.command, lambda: COMMANDS[args.command](settings, args))
