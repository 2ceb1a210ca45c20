"""`make bench`: one run, one table.

- Build time by stage for a full build from the snapshot (fresh temp store and cache) and for a
  rebuild with unchanged data (figures restored from the cache). Each build runs as its own
  `python` process, as `make site` would, so start-up and imports are counted too.
- Bytes per page: the HTML plus the chart JSON it loads (raw and gzipped), the CSVs it offers
  (downloaded only on click), plotly.js once; and the same page with its charts written the
  naive way (plotly's ``write_html(include_plotlyjs=True)`` per chart), measured side by side.
- The build-time chart images: bytes per page (the SVG a reader downloads per chart, for one
  scheme and width; and all four variants) and their build time (the ``images`` and ``cards``
  stages), full and cached.
- Lighthouse (npm ``lighthouse``, Debian's Chromium, headless) performance score, LCP, CLS and
  TBT for Home, the heaviest page, and every page with a chart in its first screen (History and
  ETFs always), served gzipped from 127.0.0.1 as a static host would: on the phone preset the
  median of three runs (all three scores shown), one run on desktop; the machine's load
  average beside each score (the machine may be shared).

Targets: full build ≤ 30 s with images, unchanged rebuild ≤ 5 s, each chart page's own payload
≤ 10 % of naive embedding, Lighthouse performance ≥ 95 and CLS ≤ 0.1.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from generator.settings import Settings

LIGHTHOUSE = "lighthouse@12.8.2"  # the last major that runs on Debian's Node 20
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
STAGES = ("import", "analytics", "figures", "images", "pages", "cards", "mkdocs")
TARGET_FULL_S, TARGET_REBUILD_S, TARGET_RATIO = 30.0, 5.0, 0.10
ALWAYS = ("history/", "etfs/")  # Lighthouse always reports these chart-heavy pages
FIRST_SCREEN_CHARS = 600  # prose before a page's first chart that still leaves it on screen
TARGET_SCORE, TARGET_CLS = 95, 0.1
# Runs per page and preset; the median run is reported (Lighthouse's own advice: one run's
# score on a phone preset moves by ±5 with the machine's noise). Desktop scores barely move.
RUNS = {"mobile": 3, "desktop": 1}
_TEXT = (".html", ".js", ".css", ".json", ".svg", ".xml", ".csv", ".txt", ".map")

# The child process: one build, its stage timings as JSON on the last line.
_CHILD = """
import json, time
from generator.build import build_site
from generator.settings import Settings
timings = build_site(Settings.from_env(), log=lambda _: None)
print(json.dumps(timings.stages))
"""


def gz(data: bytes) -> int:
    """Size of `data` gzipped as a static host would serve it (level 6)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


# ---- build times ------------------------------------------------------------------------------

@dataclass
class BuildRun:
    stages: dict[str, float]
    wall: float

    @property
    def startup(self) -> float:
        """Interpreter start-up and imports: wall time not spent inside a stage."""
        return max(0.0, self.wall - sum(self.stages.values()))


def timed_build(env: dict[str, str], root: Path) -> BuildRun:
    """Run one `build_site` in a fresh Python process with `env`; return its timings."""
    import time

    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD], cwd=root, env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        from generator.errors import BuildError

        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise BuildError("bench build failed: " + " | ".join(detail))
    return BuildRun(stages=json.loads(done.stdout.strip().splitlines()[-1]), wall=wall)


# ---- page weight ------------------------------------------------------------------------------

@dataclass
class PageWeight:
    """What one page costs a reader, and what the naive embedding would cost."""

    path: str  # '' for home
    charts: int
    html: int
    html_gz: int
    json: int
    json_gz: int
    csv: int  # downloads offered (fetched only on click)
    naive: int = 0
    naive_gz: int = 0
    image: int = 0  # SVG bytes a reader downloads (one variant per chart: light, desktop)
    image_gz: int = 0
    image_all: int = 0  # all four variants (light/dark x desktop/phone) on disk
    chart_first_screen: bool = False

    @property
    def own(self) -> int:
        return self.html + self.json

    @property
    def own_gz(self) -> int:
        return self.html_gz + self.json_gz

    @property
    def ratio(self) -> float:
        return self.own / self.naive if self.naive else 0.0

    @property
    def ratio_gz(self) -> float:
        return self.own_gz / self.naive_gz if self.naive_gz else 0.0


def site_pages(site_dir: Path) -> list[str]:
    """Pages listed in the sitemap ('' for home)."""
    import re

    text = (site_dir / "sitemap.xml").read_text()
    urls = re.findall(r"<loc>(.*?)</loc>", text)
    base = re.match(r"^(https?://[^/]+/)", urls[0]).group(1) if urls else ""
    return sorted({u[len(base):] for u in urls})


def page_families(pages: list[str], size: int = 5) -> dict[str, str]:
    """Pages that belong to a family of at least `size` sibling pages made from one template
    (e.g. the market-update archive, one page per day), mapped to their folder ('a/b/')."""
    parents: dict[str, list[str]] = {}
    for path in pages:
        parent = path.rstrip("/").rpartition("/")[0]
        if parent:
            parents.setdefault(parent, []).append(path)
    return {p: parent + "/" for parent, members in parents.items() if len(members) >= size
            for p in members}


def chart_in_first_screen(html: bytes) -> bool:
    """Whether a page's first chart comes after less than `FIRST_SCREEN_CHARS` of prose in
    its article (so it is in, or at the edge of, a phone's first screen)."""
    import re

    text = html.decode("utf-8", "replace")
    article = text.find("<article")
    chart = text.find('class="primer-chart"', max(article, 0))
    if article < 0 or chart < 0:
        return False
    prose = re.sub(r"<[^>]+>", "", text[article:chart])
    return len(" ".join(prose.split())) < FIRST_SCREEN_CHARS


PHONE_SCREEN = (412, 823)  # px: the viewport of Lighthouse's mobile preset (a Moto G Power)


def charts_on_first_screen(url: str, paths: Sequence[str]) -> set[str] | None:
    """The pages whose first chart starts within a phone's first screen, measured in Chromium
    at Lighthouse's mobile viewport (None where Playwright is not installed)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    found: set[str] = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROME, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": PHONE_SCREEN[0], "height": PHONE_SCREEN[1]})
        for path in paths:
            page.goto(url + path, wait_until="load")
            top = page.evaluate("() => { const chart = document.querySelector('.primer-chart');"
                                " return chart ? chart.getBoundingClientRect().top : null; }")
            if top is not None and top < PHONE_SCREEN[1]:
                found.add(path)
        browser.close()
    return found


def naive_chart_html(figure_json: str) -> str:
    """The chart as plotly's `write_html(include_plotlyjs=True)` writes it (full page)."""
    import plotly.io as pio

    return pio.to_html(json.loads(figure_json), include_plotlyjs=True, full_html=True,
                       validate=False)


def page_weights(site_dir: Path, plotly_gz: int, naive: bool = True) -> list[PageWeight]:
    """Weight of every page; with `naive`, also each page with its charts embedded naively.

    The naive gzip size is measured per chart without plotly.js plus plotly.min.js gzipped
    once per chart (`plotly_gz`): gzip's 32 kB window cannot share bytes between the two, so
    this equals gzipping the whole file to within a few hundred bytes.
    """
    manifest = json.loads((site_dir / "figures.json").read_text())
    by_page: dict[str, list[dict]] = {}
    for entry in manifest:
        by_page.setdefault(entry["page"], []).append(entry)
    weights = []
    for path in site_pages(site_dir):
        html = (site_dir / path / "index.html").read_bytes()
        entries = by_page.get(path, [])
        payloads = [(site_dir / e["json"]).read_bytes() for e in entries]
        csvs = sum((site_dir / c).stat().st_size for e in entries
                   for c in [e["csv"], *e.get("extra_csv", [])])
        weight = PageWeight(path=path, charts=len(entries), html=len(html), html_gz=gz(html),
                            json=sum(map(len, payloads)), json_gz=sum(map(gz, payloads)),
                            csv=csvs, chart_first_screen=chart_in_first_screen(html))
        for e in entries:
            light = site_dir / "figures" / f"{e['id']}.svg"
            if light.is_file():
                data = light.read_bytes()
                weight.image += len(data)
                weight.image_gz += gz(data)
                weight.image_all += sum(p.stat().st_size for p in
                                        (site_dir / "figures").glob(f"{e['id']}.*svg"))
        if naive and entries:
            import plotly.io as pio

            weight.naive, weight.naive_gz = len(html), gz(html)
            for payload in payloads:
                text = payload.decode()
                weight.naive += len(naive_chart_html(text).encode())
                bare = pio.to_html(json.loads(text), include_plotlyjs=False, full_html=True,
                                   validate=False).encode()
                weight.naive_gz += gz(bare) + plotly_gz
        weights.append(weight)
    return weights


# ---- Lighthouse -------------------------------------------------------------------------------

class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it (as GitHub Pages and most hosts do)."""

    cache: ClassVar[dict[str, bytes]] = {}

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in _TEXT):
            return super().send_head()
        key = str(path)
        if key not in self.cache:
            self.cache[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        body = self.cache[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        import io

        return io.BytesIO(body)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that hangs up mid-file (Lighthouse does, between runs) is no error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(site_dir: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _GzipHandler,
          ) -> Iterator[str]:
    """`site_dir` served on 127.0.0.1 (a free port) by `handler` (gzipped, as GitHub Pages
    serves it, by default); yields the URL."""
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def lighthouse_bin(root: Path, log=print) -> Path | None:
    """The project-local Lighthouse CLI (.bench/), installed with npm on first use."""
    prefix = root / ".bench"
    cli = prefix / "node_modules" / ".bin" / "lighthouse"
    if cli.exists():
        return cli
    if shutil.which("npm") is None:
        return None
    log(f"Installing {LIGHTHOUSE} into {prefix} (once) ...")
    done = subprocess.run(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                           "--silent", LIGHTHOUSE], capture_output=True, text=True)
    return cli if done.returncode == 0 and cli.exists() else None


@dataclass
class LighthouseRun:
    page: str
    preset: str
    score: float | None = None
    lcp_ms: float | None = None
    cls: float | None = None
    tbt_ms: float | None = None
    benchmark_index: float | None = None
    error: str = ""


def run_lighthouse(cli: Path, url: str, page: str, preset: str, out: Path) -> LighthouseRun:
    command = [str(cli), url, "--quiet", "--only-categories=performance", "--output=json",
               f"--output-path={out}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROME}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=240)
    run = LighthouseRun(page=page, preset=preset)
    if done.returncode != 0 or not out.exists():
        run.error = (done.stderr or done.stdout).strip().splitlines()[-1:][0] if \
            (done.stderr or done.stdout).strip() else f"exit {done.returncode}"
        return run
    report = json.loads(out.read_text())
    audits = report["audits"]
    score = report["categories"]["performance"]["score"]
    run.score = None if score is None else score * 100
    run.lcp_ms = audits["largest-contentful-paint"].get("numericValue")
    run.cls = audits["cumulative-layout-shift"].get("numericValue")
    run.tbt_ms = audits["total-blocking-time"].get("numericValue")
    run.benchmark_index = report.get("environment", {}).get("benchmarkIndex")
    return run


def median_run(runs: Sequence[LighthouseRun]) -> LighthouseRun:
    """The run with the median score (of an even count, the lower middle); a failed run only
    when every run failed."""
    scored = sorted((r for r in runs if not r.error and r.score is not None),
                    key=lambda r: r.score or 0.0)
    if not scored:
        return runs[-1]
    return scored[(len(scored) - 1) // 2]


# ---- the table --------------------------------------------------------------------------------

@dataclass
class Row:
    measure: str
    value: str
    target: str = ""
    met: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)

    def add(self, *args: str) -> None:
        self.rows.append(Row(*args))

    def render(self, title: str) -> str:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, show_lines=False, title_justify="left")
        for name in ("Measure", "Value", "Target", "Met"):
            table.add_column(name, overflow="fold")
        previous = ""
        for row in self.rows:
            section = row.measure.split(":", 1)[0]
            if previous and section != previous:
                table.add_section()
            previous = section
            table.add_row(row.measure, row.value, row.target, row.met)
        console = Console(width=int(os.environ.get("COLUMNS", "150")), record=True,
                          force_terminal=False, color_system=None)
        with console.capture() as captured:
            console.print(table)
        return captured.get()


def kb(n: float) -> str:
    return f"{n / 1000:,.0f} kB" if n < 10_000_000 else f"{n / 1e6:,.1f} MB"


def verdict(ok: bool, miss: str = "") -> str:
    return "yes" if ok else f"NO {miss}".strip()


def main(settings: Settings, lighthouse: bool = True) -> int:
    """`make bench`: print the table; `lighthouse=False` skips the Lighthouse runs."""
    report = Report()
    log = functools.partial(print, file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="primer-bench-") as tmp:
        base = Path(tmp)
        env = {**os.environ, "PRIMER_SNAPSHOT": str(settings.snapshot_dir),
               "PRIMER_STORE": str(base / "store"), "PRIMER_CACHE": str(base / "cache"),
               "PRIMER_DOCS": str(base / "docs"), "PRIMER_SITE": str(base / "site"),
               "PRIMER_CONTENT": str(settings.content_dir)}
        log("bench: full build from the snapshot (fresh store and cache) ...")
        full = timed_build(env, settings.root)
        log("bench: rebuild with unchanged data ...")
        again = timed_build(env, settings.root)
        for stage in STAGES:
            report.add(f"build: {stage}",
                       f"{full.stages.get(stage, 0):6.2f} s full · "
                       f"{again.stages.get(stage, 0):6.2f} s unchanged")
        report.add("build: python start-up + imports",
                   f"{full.startup:6.2f} s full · {again.startup:6.2f} s unchanged")
        over_full, over_again = full.wall - TARGET_FULL_S, again.wall - TARGET_REBUILD_S
        report.add("build: total (wall clock)",
                   f"{full.wall:6.2f} s full · {again.wall:6.2f} s unchanged",
                   f"≤ {TARGET_FULL_S:g} s · ≤ {TARGET_REBUILD_S:g} s",
                   f"{verdict(over_full <= 0, f'+{over_full:.1f} s')} · "
                   f"{verdict(over_again <= 0, f'+{over_again:.1f} s')}")

        site = base / "site"
        from generator.pages import plotly_js_path

        bundle = plotly_js_path().read_bytes()
        import plotly

        full_bundle = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
        full_gz = gz(full_bundle)
        report.add("weight: plotly.js (once per site, cached)",
                   f"{kb(len(bundle))} raw · {kb(gz(bundle))} gz (basic bundle; the full "
                   f"plotly.min.js is {kb(len(full_bundle))} · {kb(full_gz)} gz)")
        log("bench: page weights and naive embedding ...")
        weights = page_weights(site, plotly_gz=full_gz)
        families = page_families([w.path for w in weights])
        reported: set[str] = set()
        for w in weights:
            family = families.get(w.path)
            if family and w.path not in reported:
                members = [x for x in weights if families.get(x.path) == family]
                reported.update(x.path for x in members)
                worst = max(members, key=lambda x: x.ratio)
                sizes = sorted(x.own for x in members)
                report.add(f"page: {family}* ({len(members)} pages from one template)",
                           f"{kb(sizes[0])}–{kb(sizes[-1])} raw each · "
                           f"{kb(max(x.own_gz for x in members))} gz at most; "
                           f"{sum(x.charts for x in members)} charts",
                           f"≤ {TARGET_RATIO:.0%} of naive" if worst.charts else "",
                           f"{verdict(worst.ratio <= TARGET_RATIO)} {worst.ratio:.1%} at most"
                           if worst.charts else "")
            if family:
                continue
            name = w.path or "home"
            own = f"{kb(w.own)} raw · {kb(w.own_gz)} gz (HTML {kb(w.html)} + JSON {kb(w.json)})"
            if not w.charts:
                report.add(f"page: {name}", own + "; no charts")
                continue
            images = (f"; images {kb(w.image)} · {kb(w.image_gz)} gz ({kb(w.image_all)} "
                      "all variants)" if w.image else "; no images")
            report.add(
                f"page: {name} ({w.charts} chart{'s' if w.charts > 1 else ''})",
                f"{own}{images}; naive {kb(w.naive)} · {kb(w.naive_gz)} gz; "
                f"CSV {kb(w.csv)} on click",
                f"≤ {TARGET_RATIO:.0%} of naive",
                f"{verdict(w.ratio <= TARGET_RATIO)} {w.ratio:.1%} raw · {w.ratio_gz:.1%} gz")
        total = sum(w.own for w in weights)
        report.add("weight: whole site, pages' own payload",
                   f"{kb(total)} raw for {len(weights)} pages "
                   f"({sum(w.charts for w in weights)} charts)")
        cards = sorted((site / "assets" / "cards").glob("*.png"))
        report.add("weight: chart images (SVG) and preview cards (PNG)",
                   f"{kb(sum(w.image_all for w in weights))} SVG on disk, "
                   f"{kb(sum(w.image for w in weights))} of it one variant per chart; "
                   f"{len(cards)} cards, {kb(sum(p.stat().st_size for p in cards))}")

        if lighthouse:
            charted = [w for w in weights if w.charts] or weights
            heaviest = max(charted, key=lambda w: w.own)
            cli = lighthouse_bin(settings.root, log=log)
            if cli is None or not Path(CHROME).exists():
                report.add("lighthouse", "skipped: npm or Chromium missing")
            else:
                with serve(site) as url:
                    targets = [("", "home")]
                    measured = charts_on_first_screen(url, [w.path for w in weights if w.charts])
                    first_screen = sorted(measured) if measured is not None else [
                        w.path for w in weights if w.chart_first_screen]
                    how = "measured" if measured is not None else "estimated from the HTML"
                    report.add("lighthouse: pages with a chart in a phone's first screen",
                               f"{', '.join(first_screen) or 'none'} ({how})")
                    paths = [heaviest.path, *ALWAYS, *first_screen]
                    known = {w.path for w in weights}
                    for path in paths:
                        if path and path in known and (path, path) not in targets:
                            targets.append((path, path))
                    for path, name in targets:
                        for preset in ("mobile", "desktop"):
                            log(f"bench: lighthouse {name} ({preset}, {RUNS[preset]} run(s)) ...")
                            runs = [run_lighthouse(cli, url + path, name, preset,
                                                   base / f"lh-{preset}-{name.strip('/')}"
                                                          f"-{i + 1}.json")
                                    for i in range(RUNS[preset])]
                            run = median_run(runs)
                            label = f"lighthouse: {name} ({preset})"
                            if run.error:
                                report.add(label, f"failed: {run.error}")
                                continue
                            scores = ", ".join(f"{r.score:.0f}" for r in runs
                                               if r.score is not None)
                            of = f" (median of {len(runs)}: {scores})" if len(runs) > 1 else ""
                            ok_score = (run.score or 0) >= TARGET_SCORE
                            ok_cls = (run.cls or 0) <= TARGET_CLS
                            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
                            report.add(
                                label,
                                f"performance {run.score:.0f}{of} · "
                                f"LCP {run.lcp_ms / 1000:.2f} s · "
                                f"CLS {run.cls:.3f} · TBT {run.tbt_ms:.0f} ms "
                                f"(host benchmark index {run.benchmark_index:.0f}; "
                                f"load average {load:.1f})",
                                f"≥ {TARGET_SCORE} · CLS ≤ {TARGET_CLS}",
                                f"{verdict(ok_score)} · {verdict(ok_cls)}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    title = (f"Small-Cap Primer bench · {os.cpu_count()} cores · load average {load:.1f} at the "
             "end (other work on the machine slows every timing)")
    print(report.render(title))
    return 0
