"""The built-in presets, as data. They ship inside the package, so they work offline.

Each entry: the folder of its files, their sha256 (checked on every load) and
a one-line description. The metadata.json in each folder records the data,
the command that produced it and the quality it reached.
"""

import os

_HERE = os.path.dirname(os.path.abspath(__file__))

PRESETS = {
    "acgan_mnist": {
        "description": "AC-GAN, 28x28 MNIST digits of a chosen class (trained on the 60k "
        "training images); 92.1% class fidelity by the bundled MNIST classifier",
        "path": os.path.join(_HERE, "acgan_mnist"),
        "files": {
            "config.json": "e36fe287517c933454b81646549037e68ff685c049109780befee649c1cf0af4",
            "metadata.json": "f7b8dbcc96d6357df2f462fba083ba5665f0298a43d63dafdab92e74ec8b9b77",
            "model.weights.h5": "5144178bbfffb034a7608ee24f77bf711abe9d9716e85c32ed7e915441deb097",
        },
    },
    "cgan_fashion_mnist": {
        "description": "CGAN (conv), 28x28 Fashion-MNIST garments of a chosen class (trained on "
        "the 60k training images); 87.4% class fidelity by the bundled Fashion-MNIST classifier",
        "path": os.path.join(_HERE, "cgan_fashion_mnist"),
        "files": {
            "config.json": "c35edf83dc65119af713ea4491022f9ab734fc3b311717b03f65293da744593f",
            "metadata.json": "bd5bf6fff791e61b7dd045a582dc7085dd6651c0209d5c2dfe5e2adc8e41115e",
            "model.weights.h5": "ee08f35ecc1b1dca66d4912e84b7dd42dabdac12cfe6cdc984bc2a596a72c436",
        },
    },
    "cgan_mnist": {
        "description": "CGAN (conv), 28x28 MNIST digits of a chosen class (trained on the 60k "
        "training images); 98.1% class fidelity by the bundled MNIST classifier",
        "path": os.path.join(_HERE, "cgan_mnist"),
        "files": {
            "config.json": "c35edf83dc65119af713ea4491022f9ab734fc3b311717b03f65293da744593f",
            "metadata.json": "b36a920045ef083b38a2a600f1e135bb1ded437a3baacfca6535db5144f130c7",
            "model.weights.h5": "232eb92198f42fc2b1d7e37c004e713f98ff671d7048e99c67ca61c8126cfb1a",
        },
    },
    "dcgan_mnist": {
        "description": "DCGAN, 28x28 MNIST digits (trained on the 60k training images); "
        "41.2% recognized by a digit classifier (real test digits: 78.0%)",
        "path": os.path.join(_HERE, "dcgan_mnist"),
        "files": {
            "config.json": "8b0cb6aacbb295801781899f6bab1fd571fe1e31fd1ddd2b88023173128a7a35",
            "metadata.json": "9a640821ef43ae8442ee4849753888303ef3a250d8a5ea1b61ee102fa6cb3965",
            "model.weights.h5": "b7c0ef88ca52997e6c99e7eb55d792067ca9ab3f7182bab28db798ab077b75c3",
        },
    },
    "infogan_mnist": {
        "description": "InfoGAN, 28x28 MNIST digits (trained on the 60k training images, no "
        "labels); c1 (10 categories) picks the digit, 67.5% of test digits matched; c2 slant, c3 "
        "width",
        "path": os.path.join(_HERE, "infogan_mnist"),
        "files": {
            "config.json": "6492220ca501600688f8388f61e6ecc189cb841c6d4e2120906d99dd985f7334",
            "metadata.json": "f3b3bd83574e3ac133d665a890e77701e4420920dd7cd163a229ac16dbede03a",
            "model.weights.h5": "0471065ccdf7a40fd0cb2eb39251f22c0ea692f2cf1891f0812b14c9903e4b51",
        },
    },
    "gan_ring8": {
        "description": "GAN on the 2D ring of 8 Gaussians: 8/8 modes, 94.8% high-quality samples",
        "path": os.path.join(_HERE, "gan_ring8"),
        "files": {
            "config.json": "259fbd5d02d05ea79249d42f5dffeb64c01b5e8c604f182bd462339b75969a0c",
            "metadata.json": "05a4ff4b67ba663785caee44b9d8e9c36c6edf5075ea57c13f43bf446f98eb8e",
            "model.weights.h5": "dbce98a01f442935f765d8c1dbeaee712d69d242d65faca4d9e13a91a7be1b62",
        },
    },
}
