"""keras_gan_zoo: generative adversarial networks that train with `model.fit`
on TensorFlow, JAX and PyTorch."""

# First: the command line quiets TensorFlow's start-up lines, which must
# happen before anything imports it (a no-op for library users).
from keras_gan_zoo.utils.command_line import quiet_framework_start

quiet_framework_start()

from keras_gan_zoo import callbacks
from keras_gan_zoo import datasets
from keras_gan_zoo import engine
from keras_gan_zoo import layers
from keras_gan_zoo import losses
from keras_gan_zoo import metrics
from keras_gan_zoo import networks
from keras_gan_zoo import presets
from keras_gan_zoo import tricks
from keras_gan_zoo.encoder import Encoder
from keras_gan_zoo.engine import AdversarialModel
from keras_gan_zoo.engine import NonFiniteLossError
from keras_gan_zoo.engine import Player
from keras_gan_zoo.generator import Generator
from keras_gan_zoo.models import ACGAN
from keras_gan_zoo.models import ALI
from keras_gan_zoo.models import BEGAN
from keras_gan_zoo.models import CGAN
from keras_gan_zoo.models import DCGAN
from keras_gan_zoo.models import DRAGAN
from keras_gan_zoo.models import EBGAN
from keras_gan_zoo.models import FGAN
from keras_gan_zoo.models import GAN
from keras_gan_zoo.models import LSGAN
from keras_gan_zoo.models import SNGAN
from keras_gan_zoo.models import WGAN
from keras_gan_zoo.models import WGANGP
from keras_gan_zoo.models import AdversarialAutoencoder
from keras_gan_zoo.models import BiGAN
from keras_gan_zoo.models import CategoricalAdversarialAutoencoder
from keras_gan_zoo.models import InfoGAN
from keras_gan_zoo.models import PacGAN
from keras_gan_zoo.models import UnrolledGAN
from keras_gan_zoo.models import get_model_entry
from keras_gan_zoo.models import list_models
from keras_gan_zoo.models import register_model
from keras_gan_zoo.presets import PresetError
from keras_gan_zoo.presets import list_presets
from keras_gan_zoo.presets import load_encoder
from keras_gan_zoo.presets import load_generator
from keras_gan_zoo.presets import register_preset
from keras_gan_zoo.presets import save_to_preset
from keras_gan_zoo.sampling import generate
from keras_gan_zoo.sampling import interpolate_latents
from keras_gan_zoo.sampling import sample_latents
from keras_gan_zoo.utils.images import save_image_grid
from keras_gan_zoo.version import __version__

__all__ = [
    "ACGAN",
    "ALI",
    "AdversarialModel",
    "AdversarialAutoencoder",
    "BEGAN",
    "BiGAN",
    "CGAN",
    "CategoricalAdversarialAutoencoder",
    "DCGAN",
    "DRAGAN",
    "EBGAN",
    "FGAN",
    "GAN",
    "InfoGAN",
    "LSGAN",
    "PacGAN",
    "SNGAN",
    "UnrolledGAN",
    "WGAN",
    "WGANGP",
    "Encoder",
    "Generator",
    "NonFiniteLossError",
    "Player",
    "PresetError",
    "__version__",
    "callbacks",
    "datasets",
    "engine",
    "generate",
    "get_model_entry",
    "interpolate_latents",
    "layers",
    "list_models",
    "list_presets",
    "load_encoder",
    "load_generator",
    "losses",
    "metrics",
    "networks",
    "presets",
    "register_model",
    "register_preset",
    "sample_latents",
    "save_image_grid",
    "save_to_preset",
    "tricks",
]
