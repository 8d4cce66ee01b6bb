"""The built-in presets, as data. They ship inside the package, so they work offline.

Each entry: the folder of its files, their sha256 (checked on every load) and
a one-line description. The metadata.json in each folder records the data,
the command that produced it and the quality it reached.
"""

import os

_HERE = os.path.dirname(os.path.abspath(__file__))

PRESETS = {
    "dcgan_mnist": {
        "description": "DCGAN, 28x28 MNIST digits (trained on the 10k test images); "
        "49.6% recognized by a digit classifier (real digits: 80.9%)",
        "path": os.path.join(_HERE, "dcgan_mnist"),
        "files": {
            "config.json": "fa809688d11c0836f1c5cb1231ab455d3c48570c5a894cac09cb01aa4892574c",
            "metadata.json": "70c939bf9bdb25a3ce3d3eb08f08e06a5d9ff87b3256291c07ca10fb68317587",
            "model.weights.h5": "f7580da7ece7946ce5a8dd18da0e9c634dc5aa3847a511497e03f4225e487d27",
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
