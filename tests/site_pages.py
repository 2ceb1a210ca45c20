"""The pages of a built site, read from its sitemap (so new pages are tested automatically)."""

from __future__ import annotations

import re
from pathlib import Path


def site_pages(site_dir: Path) -> list[str]:
    """Site-relative page paths ('' for home, 'history/', …) listed in sitemap.xml."""
    urls = re.findall(r"<loc>(.*?)</loc>", (site_dir / "sitemap.xml").read_text())
    home = min(urls, key=len)  # the site root is the shortest URL
    return sorted(url[len(home):] for url in urls)
