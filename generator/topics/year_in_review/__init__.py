"""Topic: the page `content/year-in-review.md` — its data (`data.py`) and figures (`figures.py`)."""
