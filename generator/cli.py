"""Command line: `python -m generator site|update|serve|bench`. The Makefile calls these."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from generator.errors import PrimerError
from generator.settings import Settings


def cmd_site(settings: Settings, args: argparse.Namespace) -> int:
    from generator.build import build_site, site_index

    timings = build_site(settings)
    for name, seconds in timings.stages.items():
        print(f"  {name:<10} {seconds:6.2f} s")
    print(f"  {'total':<10} {timings.total:6.2f} s")
    print(f"Site built: {site_index(settings)}  (preview with `make serve`)")
    return 0


def cmd_update(settings: Settings, args: argparse.Namespace) -> int:
    from generator.update import main as update_main

    return update_main(settings, args)


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Serve the built site (build it first if missing) on localhost."""
    from generator.build import site_index

    if not site_index(settings).exists():
        cmd_site(settings, args)
    print(f"Serving {settings.site_dir} at http://127.0.0.1:{args.port}/ (Ctrl+C to stop)")
    command = [sys.executable, "-m", "http.server", str(args.port), "--bind", "127.0.0.1",
               "--directory", str(settings.site_dir)]
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


def cmd_bench(settings: Settings, args: argparse.Namespace) -> int:
    from generator.bench import main as bench_main

    return bench_main(settings, args)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    sub.add_parser("site", help="build the whole site offline from the store")
    update = sub.add_parser("update", help="refresh the store from the live feeds")
    update.add_argument("series", nargs="*", help="only these series ids (default: all)")
    serve = sub.add_parser("serve", help="serve the built site on localhost")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    sub.add_parser("bench", help="measure build time and page weight")
    return top


COMMANDS = {"site": cmd_site, "update": cmd_update, "serve": cmd_serve, "bench": cmd_bench}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        return COMMANDS[args.command](settings, args)
    except PrimerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
