"""The model registry: every GAN in the zoo by name, as data.

Each entry names a model class and says what it is: a one-line description,
its paper, the kind of data it trains on and a tiny configuration, the
constructor arguments of a version small enough to build and step in
seconds. The command line trains any registered model by its name
(`keras-gan-zoo train wgan_gp ...`), `keras-gan-zoo models` prints the table,
and the test suite builds every entry's tiny configuration for its contract
and parity tests. Adding a model is its file plus one entry here.
"""

import dataclasses

from keras_gan_zoo.layers import SpectralDense
from keras_gan_zoo.models.aae import AdversarialAutoencoder
from keras_gan_zoo.models.aae import CategoricalAdversarialAutoencoder
from keras_gan_zoo.models.acgan import ACGAN
from keras_gan_zoo.models.began import BEGAN
from keras_gan_zoo.models.bigan import ALI
from keras_gan_zoo.models.bigan import BiGAN
from keras_gan_zoo.models.cgan import CGAN
from keras_gan_zoo.models.dcgan import DCGAN
from keras_gan_zoo.models.dragan import DRAGAN
from keras_gan_zoo.models.ebgan import EBGAN
from keras_gan_zoo.models.fgan import FGAN
from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.models.gan import packed_shape
from keras_gan_zoo.models.infogan import InfoGAN
from keras_gan_zoo.models.lsgan import LSGAN
from keras_gan_zoo.models.pacgan import PacGAN
from keras_gan_zoo.models.sngan import SNGAN
from keras_gan_zoo.models.unrolled_gan import UnrolledGAN
from keras_gan_zoo.models.wgan import WGAN
from keras_gan_zoo.models.wgan import WGANGP
from keras_gan_zoo.networks import acgan_discriminator
from keras_gan_zoo.networks import autoencoder_discriminator
from keras_gan_zoo.networks import bigan_discriminator
from keras_gan_zoo.networks import bigan_encoder
from keras_gan_zoo.networks import cgan_conv_generator
from keras_gan_zoo.networks import cgan_mlp_discriminator
from keras_gan_zoo.networks import cgan_mlp_generator
from keras_gan_zoo.networks import dcgan_discriminator
from keras_gan_zoo.networks import dcgan_generator
from keras_gan_zoo.networks import dense_discriminator
from keras_gan_zoo.networks import infogan_discriminator
from keras_gan_zoo.networks import infogan_generator
from keras_gan_zoo.networks import mlp_discriminator
from keras_gan_zoo.networks import mlp_generator

# What a model trains on. "images": (H, W, C) arrays; "vectors": flat
# examples, such as points of a 2D mixture. A model listing both builds the
# networks for whichever it is given.
DATA_KINDS = ("images", "vectors")

# The tiny image every image model's tiny configuration is built for: the
# smallest side that DCGAN's and SNGAN's resolution plans accept.
TINY_IMAGE_SHAPE = (16, 16, 1)


@dataclasses.dataclass(frozen=True)
class ModelEntry:
    """One registered model.

    Attributes:
        name: the command-line name, in snake case (`"wgan_gp"`).
        model_class: the `keras.Model` subclass.
        description: one line: what the model is.
        paper: authors, year, title and arXiv number.
        data_kinds: the kinds of data it trains on, from `DATA_KINDS`.
        tiny_config: a function of no arguments that returns the constructor
            arguments of a version that builds and takes a training step in
            seconds (tests; `build_tiny`). A function, since the arguments
            may hold networks, which must be fresh for every model.
        image_size: the square side the command line trains this model's
            image networks at unless told otherwise (28 suits MNIST and the
            bundled digits; SNGAN's networks need a multiple of 8).
        labels: whether the model trains on class labels (conditional
            models); the command line then loads the dataset's labels.
    """

    name: str
    model_class: type
    description: str
    paper: str
    data_kinds: tuple
    tiny_config: object
    image_size: int = 28
    labels: bool = False

    def __post_init__(self):
        unknown = [kind for kind in self.data_kinds if kind not in DATA_KINDS]
        if not self.data_kinds or unknown:
            raise ValueError(
                f"Model {self.name!r}: data_kinds must be a non-empty subset of "
                f"{DATA_KINDS}, got {self.data_kinds}."
            )

    def build_tiny(self, **overrides):
        """The model in its tiny configuration; `overrides` replace arguments."""
        return self.model_class(**{**self.tiny_config(), **overrides})


_REGISTRY = {}


def register_model(entry):
    """Adds `entry` (a `ModelEntry`) under `entry.name`; names are unique."""
    if not isinstance(entry, ModelEntry):
        raise TypeError(f"register_model takes a ModelEntry, got {type(entry).__name__}.")
    if entry.name in _REGISTRY:
        raise ValueError(f"A model named {entry.name!r} is already registered.")
    _REGISTRY[entry.name] = entry
    return entry


def get_model_entry(name):
    """The `ModelEntry` registered as `name`; a ValueError lists the names."""
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown model {name!r}; the registered models are: {', '.join(list_models())}."
        ) from None


def list_models(data_kind=None):
    """The registered names, in registration order; of one data kind if given."""
    if data_kind is not None and data_kind not in DATA_KINDS:
        raise ValueError(f"data_kind must be one of {DATA_KINDS}, got {data_kind!r}.")
    return [
        name
        for name, entry in _REGISTRY.items()
        if data_kind is None or data_kind in entry.data_kinds
    ]


def _tiny_images(generator=None, discriminator=None, **arguments):
    """A tiny configuration for TINY_IMAGE_SHAPE images and 8-d latents.

    Args:
        generator: None for the model's default generator, or a function
            `(latent_dim, data_shape) -> network`: the model's own kind of
            generator at a small width.
        discriminator: None, or a function `(input_shape) -> network`; the
            input shape is the image shape widened by `packing` (PacGAN).
        **arguments: more constructor arguments.

    Returns:
        A function of no arguments that returns the constructor arguments,
        with networks built afresh on every call.
    """
    latent_dim = 8
    discriminator_input = packed_shape(TINY_IMAGE_SHAPE, arguments.get("packing", 1))

    def config():
        networks = {}
        if generator is not None:
            networks["generator"] = generator(latent_dim, TINY_IMAGE_SHAPE)
        if discriminator is not None:
            networks["discriminator"] = discriminator(discriminator_input)
        return {
            "data_shape": TINY_IMAGE_SHAPE,
            "latent_dim": latent_dim,
            "seed": 0,
            **networks,
            **arguments,
        }

    return config


def _small_dcgan_generator(latent_dim, data_shape):
    return dcgan_generator(latent_dim, data_shape, filters=8)


def _tiny_dcgan(normalization="batch", discriminator=None, **arguments):
    """`_tiny_images` with DCGAN's networks at 8 filters; D normalized by `normalization`."""
    if discriminator is None:

        def discriminator(shape):
            return dcgan_discriminator(shape, filters=8, normalization=normalization)

    return _tiny_images(_small_dcgan_generator, discriminator, **arguments)


def _tiny_bigan(stochastic=False):
    """BiGAN (ALI: `stochastic`) on TINY_IMAGE_SHAPE images with 8-d latents: G, E and D
    of 16-32 units."""
    latent_dim = 8

    def config():
        return {
            "data_shape": TINY_IMAGE_SHAPE,
            "latent_dim": latent_dim,
            "seed": 0,
            "generator": mlp_generator(latent_dim, TINY_IMAGE_SHAPE, units=(32,)),
            "encoder": bigan_encoder(
                TINY_IMAGE_SHAPE, latent_dim, units=(16, 16), stochastic=stochastic
            ),
            "discriminator": bigan_discriminator(TINY_IMAGE_SHAPE, latent_dim, units=(16, 16)),
        }

    return config


def _tiny_aae(**arguments):
    """An adversarial autoencoder on TINY_IMAGE_SHAPE images: 4-d codes, networks of 16 units."""

    def config():
        return {
            "data_shape": TINY_IMAGE_SHAPE,
            "latent_dim": 4,
            "units": (16,),
            "seed": 0,
            **arguments,
        }

    return config


_AAE_PAPER = "Makhzani et al. 2015, Adversarial Autoencoders, arXiv:1511.05644"

for _entry in (
    ModelEntry(
        "gan",
        GAN,
        "The original GAN: MLP generator, maxout MLP discriminator, non-saturating loss.",
        "Goodfellow et al. 2014, Generative Adversarial Nets, arXiv:1406.2661",
        ("images", "vectors"),
        _tiny_images(
            generator=lambda latent, shape: mlp_generator(latent, shape, units=(32,)),
            discriminator=lambda shape: mlp_discriminator(shape, units=(16,)),
        ),
    ),
    ModelEntry(
        "dcgan",
        DCGAN,
        "Deep convolutional GAN: strided convolutions, batch norm, Adam(2e-4, 0.5).",
        "Radford et al. 2015, Unsupervised Representation Learning with Deep "
        "Convolutional GANs, arXiv:1511.06434",
        ("images",),
        _tiny_images(filters=8),
    ),
    ModelEntry(
        "wgan",
        WGAN,
        "Wasserstein GAN: a weight-clipped critic, 5 critic steps per generator step.",
        "Arjovsky et al. 2017, Wasserstein GAN, arXiv:1701.07875",
        ("images", "vectors"),
        _tiny_dcgan(
            # Two critic updates per G update (5 by default): the loop, at less compile time.
            d_steps=2,
        ),
    ),
    ModelEntry(
        "wgan_gp",
        WGANGP,
        "WGAN with a gradient penalty on the critic instead of weight clipping.",
        "Gulrajani et al. 2017, Improved Training of Wasserstein GANs, arXiv:1704.00028",
        ("images", "vectors"),
        _tiny_dcgan(
            normalization="layer",
            # Two critic updates per G update (5 by default): the loop, at less compile time.
            d_steps=2,
        ),
    ),
    ModelEntry(
        "dragan",
        DRAGAN,
        "DRAGAN: a gradient penalty around perturbed real examples.",
        "Kodali et al. 2017, On Convergence and Stability of GANs, arXiv:1705.07215",
        ("images", "vectors"),
        _tiny_dcgan(
            normalization=None,
        ),
    ),
    ModelEntry(
        "lsgan",
        LSGAN,
        "Least squares GAN: a least-squares loss in place of the log loss.",
        "Mao et al. 2016, Least Squares Generative Adversarial Networks, arXiv:1611.04076",
        ("images", "vectors"),
        _tiny_dcgan(),
    ),
    ModelEntry(
        "fgan",
        FGAN,
        "f-GAN: variational divergence minimization for any f-divergence.",
        "Nowozin et al. 2016, f-GAN: Training Generative Neural Samplers using "
        "Variational Divergence Minimization, arXiv:1606.00709",
        ("images", "vectors"),
        _tiny_dcgan(),
    ),
    ModelEntry(
        "sngan",
        SNGAN,
        "Spectral normalization GAN: a spectrally normalized discriminator, hinge loss.",
        "Miyato et al. 2018, Spectral Normalization for Generative Adversarial "
        "Networks, arXiv:1802.05957",
        ("images", "vectors"),
        _tiny_images(
            # sngan_generator and sngan_discriminator have fixed widths (512 filters):
            # SNGAN's own networks for vectors, spectrally normalized D included.
            generator=lambda latent, shape: mlp_generator(latent, shape, units=(32,)),
            discriminator=lambda shape: dense_discriminator(
                shape, units=(32,), dense=SpectralDense
            ),
            # Two critic updates per G update (5 by default): the loop, at less compile time.
            d_steps=2,
        ),
        image_size=32,  # the standard CNN's side is a multiple of 8 (CIFAR-10's 32)
    ),
    ModelEntry(
        "ebgan",
        EBGAN,
        "Energy-based GAN: an autoencoder discriminator, margin loss, pull-away term.",
        "Zhao et al. 2016, Energy-based Generative Adversarial Network, arXiv:1609.03126",
        ("images", "vectors"),
        _tiny_dcgan(
            discriminator=lambda shape: autoencoder_discriminator(shape, code_dim=8, filters=8),
        ),
    ),
    ModelEntry(
        "began",
        BEGAN,
        "Boundary equilibrium GAN: autoencoder discriminator balanced by a controller.",
        "Berthelot et al. 2017, BEGAN: Boundary Equilibrium Generative Adversarial "
        "Networks, arXiv:1703.10717",
        ("images", "vectors"),
        _tiny_dcgan(
            discriminator=lambda shape: autoencoder_discriminator(
                shape, code_dim=8, filters=8, activation="elu"
            ),
        ),
    ),
    ModelEntry(
        "unrolled_gan",
        UnrolledGAN,
        "Unrolled GAN: the generator steps against the discriminator unrolled k steps ahead.",
        "Metz et al. 2016, Unrolled Generative Adversarial Networks, arXiv:1611.02163",
        ("images", "vectors"),
        _tiny_dcgan(
            unrolling_steps=2,
        ),
    ),
    ModelEntry(
        "pacgan",
        PacGAN,
        "PacGAN: the discriminator judges packs of examples, which fights mode collapse.",
        "Lin et al. 2017, PacGAN: The power of two samples in generative adversarial "
        "networks, arXiv:1712.04086",
        ("images", "vectors"),
        _tiny_dcgan(
            packing=2,
        ),
    ),
    ModelEntry(
        "cgan",
        CGAN,
        "Conditional GAN: the class label into G and D (the paper's MLPs, or convolutional).",
        "Mirza and Osindero 2014, Conditional Generative Adversarial Nets, arXiv:1411.1784",
        ("images", "vectors"),
        _tiny_images(
            generator=lambda latent, shape: cgan_mlp_generator(
                latent, shape, 10, latent_units=16, label_units=8, joint_units=32
            ),
            discriminator=lambda shape: cgan_mlp_discriminator(
                shape, 10, data_units=16, label_units=8, joint_units=16
            ),
            num_classes=10,
        ),
        labels=True,
    ),
    ModelEntry(
        "acgan",
        ACGAN,
        "Auxiliary classifier GAN: the label into G; D judges the source and classifies.",
        "Odena et al. 2016, Conditional Image Synthesis with Auxiliary Classifier GANs, "
        "arXiv:1610.09585",
        ("images",),
        _tiny_images(
            generator=lambda latent, shape: cgan_conv_generator(
                latent, shape, 10, embedding_dim=4, filters=8
            ),
            discriminator=lambda shape: acgan_discriminator(shape, 10, filters=8),
            num_classes=10,
        ),
        labels=True,
    ),
    ModelEntry(
        "infogan",
        InfoGAN,
        "InfoGAN: latent codes in G that a Q head on D reads back (mutual information).",
        "Chen et al. 2016, InfoGAN: Interpretable Representation Learning by Information "
        "Maximizing Generative Adversarial Nets, arXiv:1606.03657",
        ("images",),
        _tiny_images(
            # G's input is the noise and the codes: 8 + 4 + 2.
            generator=lambda latent, shape: infogan_generator(
                latent + 6, shape, filters=8, dense_units=16
            ),
            discriminator=lambda shape: infogan_discriminator(
                shape, (4,), 2, filters=8, dense_units=16, q_units=8
            ),
            categorical_codes=(4,),
            continuous_codes=2,
        ),
    ),
    ModelEntry(
        "bigan",
        BiGAN,
        "BiGAN/ALI: an encoder learned with G, against a D on (example, latent) pairs.",
        "Donahue et al. 2016, Adversarial Feature Learning, arXiv:1605.09782",
        ("images",),
        _tiny_bigan(),
    ),
    ModelEntry(
        "ali",
        ALI,
        "ALI: BiGAN with a stochastic (Gaussian) encoder, sampled by reparameterization.",
        "Dumoulin et al. 2016, Adversarially Learned Inference, arXiv:1606.00704",
        ("images",),
        _tiny_bigan(stochastic=True),
    ),
    ModelEntry(
        "aae",
        AdversarialAutoencoder,
        "Adversarial autoencoder: a discriminator matches the codes to a prior.",
        _AAE_PAPER,
        ("images",),
        _tiny_aae(),
    ),
    ModelEntry(
        "aae_supervised",
        AdversarialAutoencoder,
        "Supervised AAE: the label into the decoder, so the code holds the style.",
        _AAE_PAPER,
        ("images",),
        _tiny_aae(num_classes=10),
        labels=True,
    ),
    ModelEntry(
        "aae_semi_supervised",
        CategoricalAdversarialAutoencoder,
        "Semi-supervised AAE: a categorical code trained on the labelled examples only.",
        _AAE_PAPER,
        ("images",),
        _tiny_aae(categories=10, semi_supervised=True),
        labels=True,
    ),
    ModelEntry(
        "aae_clustering",
        CategoricalAdversarialAutoencoder,
        "Clustering AAE: a categorical code of clusters beside the style.",
        _AAE_PAPER,
        ("images",),
        _tiny_aae(categories=16),
    ),
    ModelEntry(
        "aae_dim_reduction",
        CategoricalAdversarialAutoencoder,
        "Dimensionality-reduction AAE: cluster heads plus style in a 2-d code.",
        _AAE_PAPER,
        ("images",),
        _tiny_aae(categories=10, cluster_heads=True, latent_dim=2),
    ),
):
    register_model(_entry)
del _entry
