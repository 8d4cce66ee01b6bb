"""keras_gan_zoo: generative adversarial networks that train with `model.fit`
on TensorFlow, JAX and PyTorch."""

from keras_gan_zoo import callbacks
from keras_gan_zoo import datasets
from keras_gan_zoo import engine
from keras_gan_zoo import layers
from keras_gan_zoo import losses
from keras_gan_zoo.engine import AdversarialModel
from keras_gan_zoo.engine import NonFiniteLossError
from keras_gan_zoo.engine import Player
from keras_gan_zoo.models import DCGAN
from keras_gan_zoo.models import GAN
from keras_gan_zoo.sampling import generate
from keras_gan_zoo.sampling import sample_latents
from keras_gan_zoo.version import __version__

__all__ = [
    "AdversarialModel",
    "DCGAN",
    "GAN",
    "NonFiniteLossError",
    "Player",
    "__version__",
    "callbacks",
    "datasets",
    "engine",
    "generate",
    "layers",
    "losses",
    "sample_latents",
]
