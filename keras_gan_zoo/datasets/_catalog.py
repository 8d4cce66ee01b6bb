"""What the recipes and presets say about the labelled 28x28 IDX datasets they train on."""

import dataclasses


@dataclasses.dataclass(frozen=True)
class LabelledImages:
    """A labelled 28x28 grayscale dataset in MNIST's IDX format.

    Attributes:
        title: its name in prose ("Fashion-MNIST").
        folder: where the team's copy of its training split lies, beside the checkout.
        test_folder: and of its test split.
        class_names: label i's name.
        license: of the images, for a preset's metadata.
        classifier: the bundled classifier of its class metrics
            (`keras_gan_zoo.metrics.mnist_cnn.bundled_classifier`).
    """

    title: str
    folder: str
    test_folder: str
    class_names: tuple
    license: str
    classifier: str

    def training_set(self, folder):
        """The preset metadata's sentence for a model trained on `folder`'s training split."""
        return (
            f"{self.title} training set (60,000 images and labels of {folder}, split 'train'); "
            "the 10,000 test images were not used"
        )


LABELLED_IMAGES = {
    "mnist": LabelledImages(
        title="MNIST",
        folder="../shared/data/mnist_train",
        test_folder="../shared/data/mnist",
        class_names=tuple(str(digit) for digit in range(10)),
        license="MNIST: Creative Commons Attribution-Share Alike 3.0",
        classifier="mnist",
    ),
    "fashion_mnist": LabelledImages(
        title="Fashion-MNIST",
        folder="../shared/data/fashion_mnist",
        test_folder="../shared/data/fashion_mnist",
        class_names=(
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ),
        license="Fashion-MNIST: MIT (Zalando Research)",
        classifier="fashion_mnist",
    ),
}
