"""The built-in presets, as data. They ship inside the package, so they work offline.

Each entry: the folder of its files, their sha256 (checked on every load) and
a one-line description. The metadata.json in each folder records the data,
the command that produced it and the quality it reached.
"""

import os

_HERE = os.path.dirname(os.path.abspath(__file__))

PRESETS = {
    "gan_ring8": {
        "description": "GAN on the 2D ring of 8 Gaussians: 8/8 modes, 94.8% high-quality samples",
        "path": os.path.join(_HERE, "gan_ring8"),
        "files": {
            "config.json": "cbe605830d9d47121e61b488d58bba11d2091a6d935c60df221ddd26d1daaa00",
            "metadata.json": "190b52c79b35f529613c7b1131be6eb881676db721c4b6f8a1a91875de5f57f7",
            "model.weights.h5": "e855d0fefc0906e897a9eff0cd1f4cd28b104e3c4b0ec588482d4e18f58bd25d",
        },
    },
}
