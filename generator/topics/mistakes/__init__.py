"""Topic: the page `content/mistakes.md` — its data (`data.py`) and figures (`figures.py`)."""
