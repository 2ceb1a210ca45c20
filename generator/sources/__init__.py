"""Stage 1 — sources: read raw series from the snapshot or the live feeds into normalised frames.

A normalised frame has a `DatetimeIndex` named ``date`` (sorted as received, not yet checked)
and lower-case value columns: ``open, high, low, close, volume`` for Yahoo bars (``close`` only
for close-only files) and ``value`` for FRED. Nothing here judges the data: that is `validate`.
"""
