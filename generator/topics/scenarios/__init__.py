"""Topic: the page `content/scenarios.md` — its data (`data.py`) and figures (`figures.py`)."""
