"""Topic: the page `content/strategies.md` — its data (`data.py`) and figures (`figures.py`)."""
