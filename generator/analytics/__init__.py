"""Stage 4 — analytics: small pure functions over pandas objects. No plotting, no Markdown.

Conventions (as in empyrical/quantstats): functions say whether they take *prices* (a level or
adjusted close, indexed by date) or *returns* (simple, per period); returns are fractions
(0.05 = 5 %); daily volatility is annualised with √252; calendar periods use the last close.
"""
