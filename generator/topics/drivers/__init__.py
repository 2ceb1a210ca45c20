"""Topic: the page `content/drivers.md` — its data (`data.py`) and figures (`figures.py`)."""
