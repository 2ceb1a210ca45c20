"""Topic: the page `content/inside.md` — its data (`data.py`) and figures (`figures.py`)."""
