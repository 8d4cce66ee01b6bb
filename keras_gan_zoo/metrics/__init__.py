"""Measures of how good generated samples are."""

from keras_gan_zoo.metrics.digit_recognition import DigitJudge
from keras_gan_zoo.metrics.mixture_quality import mixture_quality

__all__ = ["DigitJudge", "mixture_quality"]
