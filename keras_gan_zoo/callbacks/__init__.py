from keras_gan_zoo.callbacks.checkpoint import GANCheckpoint
from keras_gan_zoo.callbacks.fid import FIDCallback
from keras_gan_zoo.callbacks.sample_grid import SampleGrid

__all__ = ["FIDCallback", "GANCheckpoint", "SampleGrid"]
