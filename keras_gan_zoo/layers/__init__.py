from keras_gan_zoo.layers.batch_normalization import BatchNormalization
from keras_gan_zoo.layers.cluster_heads import ClusterHeads
from keras_gan_zoo.layers.conditioning import OneHot
from keras_gan_zoo.layers.conditioning import SpatialBroadcast
from keras_gan_zoo.layers.convolution import Conv2D
from keras_gan_zoo.layers.convolution import Conv2DTranspose
from keras_gan_zoo.layers.layer_normalization import LayerNormalization
from keras_gan_zoo.layers.maxout import Maxout
from keras_gan_zoo.layers.minibatch import MinibatchDiscrimination
from keras_gan_zoo.layers.minibatch import MinibatchStandardDeviation
from keras_gan_zoo.layers.spectral_normalization import SpectralConv2D
from keras_gan_zoo.layers.spectral_normalization import SpectralConv2DTranspose
from keras_gan_zoo.layers.spectral_normalization import SpectralDense
from keras_gan_zoo.layers.virtual_batch_normalization import VirtualBatchNormalization
from keras_gan_zoo.layers.virtual_batch_normalization import VirtualBatchNormGenerator

__all__ = [
    "BatchNormalization",
    "ClusterHeads",
    "Conv2D",
    "Conv2DTranspose",
    "LayerNormalization",
    "Maxout",
    "MinibatchDiscrimination",
    "MinibatchStandardDeviation",
    "OneHot",
    "SpatialBroadcast",
    "SpectralConv2D",
    "SpectralConv2DTranspose",
    "SpectralDense",
    "VirtualBatchNormGenerator",
    "VirtualBatchNormalization",
]
