"""Topic: the page `content/checklist.md` — its data (`data.py`) and figures (`figures.py`)."""
