"""Topic: the page `content/valuation.md` — its data (`data.py`) and figures (`figures.py`)."""
