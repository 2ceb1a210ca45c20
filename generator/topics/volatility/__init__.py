"""Topic: the page `content/volatility.md` — its data (`data.py`) and figures (`figures.py`)."""
