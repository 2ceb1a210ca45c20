"""Topic: the page `content/century-of-size.md` (data in `data.py`, figures in
`figures.py`)."""
