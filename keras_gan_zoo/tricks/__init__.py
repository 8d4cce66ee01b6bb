"""Training tricks any GAN in the zoo can switch on: `GAN(tricks=[...])`."""

from keras_gan_zoo.tricks.augmentation import DiffAugment
from keras_gan_zoo.tricks.experience_replay import ExperienceReplay
from keras_gan_zoo.tricks.feature_matching import FeatureMatching
from keras_gan_zoo.tricks.historical_averaging import HistoricalAveraging
from keras_gan_zoo.tricks.instance_noise import InstanceNoise
from keras_gan_zoo.tricks.labels import NoisyLabels
from keras_gan_zoo.tricks.penalties import DRAGANPenalty
from keras_gan_zoo.tricks.penalties import GradientPenalty
from keras_gan_zoo.tricks.penalties import R1Penalty
from keras_gan_zoo.tricks.penalties import R2Penalty
from keras_gan_zoo.tricks.penalties import input_gradient_norms
from keras_gan_zoo.tricks.trick import Trick

__all__ = [
    "DRAGANPenalty",
    "DiffAugment",
    "ExperienceReplay",
    "FeatureMatching",
    "GradientPenalty",
    "HistoricalAveraging",
    "InstanceNoise",
    "NoisyLabels",
    "R1Penalty",
    "R2Penalty",
    "Trick",
    "input_gradient_norms",
]
