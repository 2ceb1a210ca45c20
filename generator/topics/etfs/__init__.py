"""Topic: the page `content/etfs.md` — its data (`data.py`) and figures (`figures.py`)."""
