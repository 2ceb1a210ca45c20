"""Keep what libraries print or log during a fetch off the terminal, and hand it to the report.

yfinance logs every failed ticker (and its network stack's errors) through `logging`, which with
no handler configured prints warnings to stderr; some code paths print. A no-network run of
`make update` used to print thousands of such lines. Inside `captured_noise()` they are
collected instead: the update keeps a few per series in its run report and says how many.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.errors import clip

KEPT_LINES = 20  # lines kept per series in the run report (the count says how many there were)
LINE_LIMIT = 300  # characters kept per line


@dataclass
class Noise:
    """What was captured: the first `KEPT_LINES` distinct lines (clipped) and the total."""

    lines: list[str] = field(default_factory=list)
    total: int = 0

    def add(self, text: str) -> None:
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            self.total += 1
            short = clip(line, LINE_LIMIT)
            if len(self.lines) < KEPT_LINES and short not in self.lines:
                self.lines.append(short)


class _Collect(logging.Handler):
    def __init__(self, noise: Noise) -> None:
        super().__init__(level=logging.WARNING)
        self.noise = noise

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.noise.add(f"{record.name}: {record.levelname}: {record.getMessage()}")
        except Exception:  # a library's malformed log call must not break the update
            self.noise.add(f"{record.name}: {record.levelname}: {record.msg!r}")


@contextlib.contextmanager
def captured_noise() -> Iterator[Noise]:
    """Collect stdout, stderr and warning-level logging (any logger that propagates to the
    root) into a `Noise` while the block runs. Process-wide: nothing else should print then."""
    noise = Noise()
    out, err = io.StringIO(), io.StringIO()
    handler = _Collect(noise)
    root = logging.getLogger()
    root.addHandler(handler)  # with a handler on the root, logging's stderr fallback is unused
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            yield noise
    finally:
        root.removeHandler(handler)
        noise.add(out.getvalue())
        noise.add(err.getvalue())
