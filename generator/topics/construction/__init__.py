"""Topic: the page `content/construction.md` — its data (`data.py`) and figures (`figures.py`)."""
