"""The pages of a built site, read from its sitemap (so new pages are tested automatically)."""

from __future__ import annotations

import re
from pathlib import Path


def site_pages(site_dir: Path) -> list[str]:
    """Site-relative page paths ('' for home, 'history/', …) listed in sitemap.xml."""
    text = (site_dir / "sitemap.xml").read_text()
    urls = re.findall(r"<loc>(.*?)</loc>", text)
    paths = [re.sub(r"^https?://[^/]+/(?:[^/]+/)*?", "", u, count=1) for u in urls]
    base = re.match(r"^(https?://[^/]+/)", urls[0]).group(1) if urls else ""
    return sorted({u[len(base):] for u in urls}) if base else paths
