"""Topic: the page `content/comparison.md` — its data (`data.py`) and figures (`figures.py`)."""
