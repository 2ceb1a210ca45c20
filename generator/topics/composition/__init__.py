"""Topic: the page `content/composition.md` — its data (`data.py`) and figures (`figures.py`)."""
