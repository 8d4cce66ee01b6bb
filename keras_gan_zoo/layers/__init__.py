from keras_gan_zoo.layers.conv2d_transpose import Conv2DTranspose
from keras_gan_zoo.layers.maxout import Maxout

__all__ = ["Conv2DTranspose", "Maxout"]
