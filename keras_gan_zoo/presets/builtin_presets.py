"""The built-in presets, as data. They ship inside the package, so they work offline.

Each entry: the folder of its files, their sha256 (checked on every load) and
a one-line description. The metadata.json in each folder records the data,
the command that produced it and the quality it reached.
"""

import os

_HERE = os.path.dirname(os.path.abspath(__file__))

PRESETS = {
    "cgan_mnist": {
        "description": "CGAN (conv), 28x28 MNIST digits of a chosen class (trained on the 60k "
        "training images); 97.9% class fidelity by the bundled MNIST classifier",
        "path": os.path.join(_HERE, "cgan_mnist"),
        "files": {
            "config.json": "c35edf83dc65119af713ea4491022f9ab734fc3b311717b03f65293da744593f",
            "metadata.json": "5cbe2061053e0ef35faed85882dcce5af15238ccde4547b7d79c4400d325b681",
            "model.weights.h5": "232eb92198f42fc2b1d7e37c004e713f98ff671d7048e99c67ca61c8126cfb1a",
        },
    },
    "dcgan_mnist": {
        "description": "DCGAN, 28x28 MNIST digits (trained on the 10k test images); "
        "52.9% recognized by a digit classifier (real digits: 80.9%)",
        "path": os.path.join(_HERE, "dcgan_mnist"),
        "files": {
            "config.json": "fa809688d11c0836f1c5cb1231ab455d3c48570c5a894cac09cb01aa4892574c",
            "metadata.json": "dd6af573d8507ac03a14f71e9bd366e622593c3884db1da7e1d2ea6d2df93890",
            "model.weights.h5": "04b074edd26a3bf01e024d98e01cf214660ea06288982a0f6871b80719f1f6c5",
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
