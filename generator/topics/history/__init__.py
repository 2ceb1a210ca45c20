"""Topic: the page `content/history.md` — its data (`data.py`) and figures (`figures.py`)."""
