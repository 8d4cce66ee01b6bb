"""Measures of how good generated samples are.

Feature-space metrics take (n, d) feature arrays from any extractor and
compute on the host in float64 where the reference code does:
`frechet_distance` (FID's formula) with streaming `FeatureStatistics`,
`kernel_distance` (KID), `inception_score`, `precision_recall` and
`density_coverage`. `fid_inception()` builds the FID Inception network
(weights found, converted and cached by `fid_weights`) and
`fid_preprocessing.preprocess` prepares its input. `evaluate` runs generators
and datasets through a `FeatureExtractor` (the Inception network, the bundled
`mnist_classifier`, or any Keras model) and computes the metrics with their
protocol. Sample-space metrics: `mixture_quality` (2D mixtures),
`stacked_mnist_modes` (Stacked MNIST), `DigitJudge` (MNIST-style digits) and
`class_fidelity` (how often a conditional generator's samples are classified
as their label). Class-conditional evaluation: `intra_class_fid` (FID within
each class), `classification_accuracy_score` (CAS: a `cas_classifier` trained
on samples, tested on real data), `code_accuracy` (InfoGAN's categorical code
matched to the classes) and `parzen_log_likelihood` (the Parzen-window
estimate of the first GAN papers' MNIST tables, a weak metric kept for
comparison with them).
"""

from keras_gan_zoo.metrics import evaluation
from keras_gan_zoo.metrics import fid_preprocessing
from keras_gan_zoo.metrics import fid_weights
from keras_gan_zoo.metrics.cas import cas_classifier
from keras_gan_zoo.metrics.cas import classification_accuracy_score
from keras_gan_zoo.metrics.class_fidelity import class_fidelity
from keras_gan_zoo.metrics.code_accuracy import code_accuracy
from keras_gan_zoo.metrics.digit_recognition import DigitJudge
from keras_gan_zoo.metrics.evaluation import FeatureExtractor
from keras_gan_zoo.metrics.evaluation import evaluate
from keras_gan_zoo.metrics.evaluation import feature_extractor
from keras_gan_zoo.metrics.evaluation import inception_extractor
from keras_gan_zoo.metrics.fid_network import fid_inception
from keras_gan_zoo.metrics.fid_network import load_torch_state_dict
from keras_gan_zoo.metrics.fid_weights import FIDWeightsError
from keras_gan_zoo.metrics.fid_weights import FIDWeightsNotFound
from keras_gan_zoo.metrics.frechet_distance import FeatureStatistics
from keras_gan_zoo.metrics.frechet_distance import feature_statistics
from keras_gan_zoo.metrics.frechet_distance import frechet_distance
from keras_gan_zoo.metrics.frechet_distance import frechet_distance_of_features
from keras_gan_zoo.metrics.frechet_distance import load_statistics
from keras_gan_zoo.metrics.frechet_distance import save_statistics
from keras_gan_zoo.metrics.inception_score import inception_score
from keras_gan_zoo.metrics.intra_fid import intra_class_fid
from keras_gan_zoo.metrics.kernel_distance import kernel_distance
from keras_gan_zoo.metrics.manifold import density_coverage
from keras_gan_zoo.metrics.manifold import precision_recall
from keras_gan_zoo.metrics.mixture_quality import mixture_quality
from keras_gan_zoo.metrics.mnist_cnn import fashion_mnist_classifier
from keras_gan_zoo.metrics.mnist_cnn import mnist_classifier
from keras_gan_zoo.metrics.mnist_cnn import mnist_features
from keras_gan_zoo.metrics.mnist_cnn import stacked_mnist_modes
from keras_gan_zoo.metrics.parzen import parzen_log_likelihood

__all__ = [
    "DigitJudge",
    "FIDWeightsError",
    "FIDWeightsNotFound",
    "FeatureExtractor",
    "FeatureStatistics",
    "cas_classifier",
    "class_fidelity",
    "classification_accuracy_score",
    "code_accuracy",
    "density_coverage",
    "evaluate",
    "evaluation",
    "feature_extractor",
    "feature_statistics",
    "fid_inception",
    "fid_preprocessing",
    "fid_weights",
    "frechet_distance",
    "frechet_distance_of_features",
    "inception_extractor",
    "inception_score",
    "intra_class_fid",
    "kernel_distance",
    "load_statistics",
    "load_torch_state_dict",
    "mixture_quality",
    "mnist_classifier",
    "fashion_mnist_classifier",
    "mnist_features",
    "parzen_log_likelihood",
    "precision_recall",
    "save_statistics",
    "stacked_mnist_modes",
]
