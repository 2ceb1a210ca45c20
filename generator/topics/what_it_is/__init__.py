"""Topic: the page `content/what-it-is.md` — its data (`data.py`) and figures (`figures.py`)."""
