"""FID (and KID) during `fit`: fixed samples, cached reference statistics, best model kept."""

import math

import keras
import numpy as np

from keras_gan_zoo.metrics import evaluation
from keras_gan_zoo.metrics.frechet_distance import frechet_distance
from keras_gan_zoo.metrics.kernel_distance import kernel_distance
from keras_gan_zoo.utils.files import atomic_write


class FIDCallback(keras.callbacks.Callback):
    """Computes FID of the generator every N epochs and adds it to the epoch's logs.

    The samples come from the same latents every time (`seed`), so the curve
    shows the generator changing, not the sampling noise. The reference
    statistics are computed once, at the start of training, and cached on
    disk for the next run. The log name carries the protocol, e.g.
    `fid_5k_inception_tf_legacy` (5,000 samples, FID Inception features,
    TTUR preprocessing), so `History`, `CSVLogger` and `EarlyStopping(monitor=
    ...)` see it; with `kid=True`, `kid_5k_...` too.

    Args:
        reference: real images (array or dataset) or an `.npz` statistics file.
            An array is checked as training data is (uint8 0..255 or floats
            in [-1, 1]; see `evaluation.check_reference_images`).
        extractor: a `FeatureExtractor`; default the FID Inception network
            with "tf_legacy" preprocessing (needs its weights, see `fid_weights`).
        n: samples per evaluation. Report N with the number: FID is biased
            upward roughly as c/N.
        n_reference: reference images to use (default all).
        every_n_epochs: evaluate after every N-th epoch (and the last one).
        seed: seeds the fixed latents.
        kid: also compute KID (needs reference images, not statistics).
        best_path: if set, the model is saved there (a `.keras` file, written
            atomically) whenever FID reaches a new best.
        batch_size: images per forward pass of the feature network.
        reference_key: names the content of a non-array reference for the
            statistics cache, e.g. `evaluation.path_fingerprint(folder)`
            (arrays are keyed by a hash of their bytes).
    """

    def __init__(
        self,
        reference,
        extractor=None,
        n=5000,
        n_reference=None,
        every_n_epochs=1,
        seed=0,
        kid=False,
        best_path=None,
        batch_size=50,
        reference_key=None,
    ):
        super().__init__()
        n = evaluation._count(n, "n")
        if n < 2:
            raise ValueError(f"FID needs at least 2 samples, got n={n}.")
        n_reference = evaluation._optional_count(n_reference, "n_reference")
        every_n_epochs = evaluation._count(every_n_epochs, "every_n_epochs")
        seed = evaluation._count(seed, "seed", minimum=0)
        batch_size = evaluation._count(batch_size, "batch_size")
        if best_path is not None and not str(best_path).endswith(".keras"):
            raise ValueError(f"best_path must end in .keras, got {best_path!r}.")
        self.reference = reference
        self.extractor = extractor
        self.n = n
        self.n_reference = n_reference
        self.every_n_epochs = every_n_epochs
        self.seed = seed
        self.kid = kid
        self.best_path = best_path
        self.batch_size = batch_size
        self.reference_key = reference_key
        self.best = math.inf
        self.best_epoch = None
        self.history = []

    def on_train_begin(self, logs=None):
        self.extractor = self.extractor or evaluation.inception_extractor()
        self.fid_name = evaluation.log_name("fid", self.n, self.extractor)
        self.kid_name = evaluation.log_name("kid", self.n, self.extractor)
        if self.kid:
            if isinstance(self.reference, np.ndarray) and self.extractor.images:
                self.reference = evaluation.check_reference_images(self.reference)
            real = evaluation.extract(
                self.extractor,
                self.reference,
                self.n_reference,
                self.batch_size,
                what="the reference images",
            )
            self._real_features = real["features"]
            self._real_statistics = real["statistics"].mean_and_covariance()
        else:
            self._real_statistics = evaluation.reference_statistics(
                self.extractor,
                self.reference,
                self.n_reference,
                self.batch_size,
                self.reference_key,
            )

    def on_epoch_end(self, epoch, logs=None):
        last = self.params and epoch + 1 == self.params.get("epochs")
        if (epoch + 1) % self.every_n_epochs and not last:
            return
        fake = evaluation.extract(
            self.extractor, self.model, self.n, self.batch_size, self.seed, keep_features=self.kid
        )
        fid = frechet_distance(*fake["statistics"].mean_and_covariance(), *self._real_statistics)
        record = {"epoch": epoch + 1, self.fid_name: fid}
        if self.kid:
            record[self.kid_name], _ = kernel_distance(fake["features"], self._real_features)
        self.history.append(record)
        if logs is not None:
            logs.update({key: value for key, value in record.items() if key != "epoch"})
        if np.isfinite(fid) and fid < self.best:
            self.best, self.best_epoch = fid, epoch + 1
            if self.best_path is not None:
                with atomic_write(self.best_path, suffix=".keras") as temporary:
                    self.model.save(temporary)
