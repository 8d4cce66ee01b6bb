"""Measures of how good generated samples are.

Feature-space metrics take (n, d) feature arrays from any extractor and
compute on the host in float64 where the reference code does:
`frechet_distance` (FID's formula) with streaming `FeatureStatistics`,
`kernel_distance` (KID), `inception_score`, `precision_recall` and
`density_coverage`. `fid_inception()` builds the FID Inception network
(`load_torch_state_dict` fills it from the PyTorch ports' weights) and
`fid_preprocessing.preprocess` prepares its input. Sample-space metrics:
`mixture_quality` (2D mixtures) and `DigitJudge` (MNIST-style digits).
"""

from keras_gan_zoo.metrics import fid_preprocessing
from keras_gan_zoo.metrics.digit_recognition import DigitJudge
from keras_gan_zoo.metrics.fid_network import fid_inception
from keras_gan_zoo.metrics.fid_network import load_torch_state_dict
from keras_gan_zoo.metrics.frechet_distance import FeatureStatistics
from keras_gan_zoo.metrics.frechet_distance import feature_statistics
from keras_gan_zoo.metrics.frechet_distance import frechet_distance
from keras_gan_zoo.metrics.frechet_distance import frechet_distance_of_features
from keras_gan_zoo.metrics.frechet_distance import load_statistics
from keras_gan_zoo.metrics.frechet_distance import save_statistics
from keras_gan_zoo.metrics.inception_score import inception_score
from keras_gan_zoo.metrics.kernel_distance import kernel_distance
from keras_gan_zoo.metrics.manifold import density_coverage
from keras_gan_zoo.metrics.manifold import precision_recall
from keras_gan_zoo.metrics.mixture_quality import mixture_quality

__all__ = [
    "DigitJudge",
    "FeatureStatistics",
    "density_coverage",
    "feature_statistics",
    "fid_inception",
    "fid_preprocessing",
    "frechet_distance",
    "frechet_distance_of_features",
    "inception_score",
    "kernel_distance",
    "load_statistics",
    "load_torch_state_dict",
    "mixture_quality",
    "precision_recall",
    "save_statistics",
]
