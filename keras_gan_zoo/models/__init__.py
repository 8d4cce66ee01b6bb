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
from keras_gan_zoo.models.infogan import InfoGAN
from keras_gan_zoo.models.lsgan import LSGAN
from keras_gan_zoo.models.pacgan import PacGAN
from keras_gan_zoo.models.registry import ModelEntry
from keras_gan_zoo.models.registry import get_model_entry
from keras_gan_zoo.models.registry import list_models
from keras_gan_zoo.models.registry import register_model
from keras_gan_zoo.models.sngan import SNGAN
from keras_gan_zoo.models.unrolled_gan import UnrolledGAN
from keras_gan_zoo.models.wgan import WGAN
from keras_gan_zoo.models.wgan import WGANGP

__all__ = [
    "ACGAN",
    "ALI",
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
    "ModelEntry",
    "PacGAN",
    "SNGAN",
    "UnrolledGAN",
    "WGAN",
    "WGANGP",
    "get_model_entry",
    "list_models",
    "register_model",
]
