from keras_gan_zoo.layers.batch_normalization import BatchNormalization
from keras_gan_zoo.layers.convolution import Conv2D
from keras_gan_zoo.layers.convolution import Conv2DTranspose
from keras_gan_zoo.layers.maxout import Maxout
from keras_gan_zoo.layers.spectral_normalization import SpectralConv2D
from keras_gan_zoo.layers.spectral_normalization import SpectralDense

__all__ = [
    "BatchNormalization",
    "Conv2D",
    "Conv2DTranspose",
    "Maxout",
    "SpectralConv2D",
    "SpectralDense",
]
