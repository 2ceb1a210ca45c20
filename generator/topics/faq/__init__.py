"""Topic: the page `content/faq.md` — its data (`data.py`) and figures (`figures.py`)."""
