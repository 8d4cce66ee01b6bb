"""The built-in presets, as data. They ship inside the package, so they work offline.

Each entry: the folder of its files, their sha256 (checked on every load) and
a one-line description. The metadata.json in each folder records the data,
the command that produced it and the quality it reached.
"""

import os

_HERE = os.path.dirname(os.path.abspath(__file__))

PRESETS = {}
