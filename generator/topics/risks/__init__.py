"""Topic: the page `content/risks.md` — its data (`data.py`) and figures (`figures.py`)."""
