"""Small-Cap Primer: a static-site generator that teaches the Russell 2000 from real data.

Stages, each a module that imports only from the stages before it::

    sources -> validate -> store -> analytics -> figures -> pages -> (mkdocs build)

`settings`, `errors` and `catalog` are shared definitions every stage may read.
"""

__version__ = "0.1.0"
