"""Topic: the page `content/market-update.md` — its data (`data.py`) and figures (`figures.py`)."""
