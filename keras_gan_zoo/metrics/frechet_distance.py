"""Fréchet distance between Gaussian fits of two feature sets: the math of FID.

FID (Heusel et al. 2017, https://arxiv.org/abs/1706.08500) fits a Gaussian
(mean, covariance) to the Inception pool3 features of real and of generated
images and reports

    ||mu1 - mu2||^2 + tr(S1) + tr(S2) - 2 tr sqrt(S1 S2).

Everything here runs on the host in float64, as the reference code does (JAX
would silently compute in float32, and `keras.ops` has no covariance or
matrix square root). Statistics accumulate batch by batch, so 50,000 samples
never need to be in memory at once, and they save to and load from `.npz`
files with pytorch-fid's keys (`mu`, `sigma`).
"""

import os
import zipfile
import zlib

import numpy as np

from keras_gan_zoo.utils.files import atomic_write

# The most feature dimensions a statistics file may declare (Inception's are
# 2048): a tampered header cannot make the reader allocate more than the
# 2 GiB of a sigma this size.
MAX_FEATURES = 16_384


class FeatureStatistics:
    """Running mean and covariance (divided by N - 1, as `np.cov`) of feature rows.

    Batches merge with Chan et al.'s pairwise update, which stays accurate in
    float64 where summing raw second moments would lose digits.

    Example:

    ```python
    statistics = FeatureStatistics()
    for batch in feature_batches:
        statistics.update(batch)
    distance = frechet_distance(*statistics.mean_and_covariance(), *reference)
    ```
    """

    # Small batches wait and merge together: each merge costs several d x d
    # passes whatever the batch size, so merging 1024 rows at a time instead of
    # 50 makes streaming 2048-d features several times faster.
    _MERGE_ROWS = 1024

    def __init__(self):
        self._merged_count = 0
        self._mean = None
        self._scatter = None  # sum of outer products of deviations from the mean
        self._pending = []
        self._pending_rows = 0

    @property
    def count(self):
        """Rows added so far."""
        return self._merged_count + self._pending_rows

    def update(self, features):
        """Adds a (n, d) batch of feature rows."""
        features = np.asarray(features, dtype=np.float64)
        if features.ndim != 2 or len(features) == 0:
            raise ValueError(f"features must be a non-empty (n, d) array, got {features.shape}.")
        if not np.all(np.isfinite(features)):
            raise ValueError("features contain NaN or inf values.")
        dimensions = len(self._mean) if self._mean is not None else None
        if self._pending:
            dimensions = self._pending[0].shape[1]
        if dimensions is not None and features.shape[1] != dimensions:
            raise ValueError(
                f"features have {features.shape[1]} dimensions, earlier batches {dimensions}."
            )
        self._pending.append(features)
        self._pending_rows += len(features)
        if self._pending_rows >= self._MERGE_ROWS:
            self._merge_pending()
        return self

    def _merge_pending(self):
        if not self._pending:
            return
        features = np.concatenate(self._pending)
        self._pending, self._pending_rows = [], 0
        batch_mean = features.mean(axis=0)
        centered = features - batch_mean
        batch_scatter = centered.T @ centered
        batch_count = len(features)
        if self._mean is None:
            self._merged_count, self._mean, self._scatter = batch_count, batch_mean, batch_scatter
            return
        total = self._merged_count + batch_count
        delta = batch_mean - self._mean
        self._mean = self._mean + delta * (batch_count / total)
        self._scatter = (
            self._scatter
            + batch_scatter
            + np.outer(delta, delta) * (self._merged_count * batch_count / total)
        )
        self._merged_count = total

    def mean_and_covariance(self):
        """(mean, covariance) as float64 arrays."""
        self._merge_pending()
        if self.count < 2:
            raise ValueError(f"A covariance needs at least 2 samples, got {self.count}.")
        return self._mean.copy(), self._scatter / (self.count - 1)

    def save(self, path):
        """Writes `mu`, `sigma` (pytorch-fid's keys) and `n` to an `.npz` file, atomically."""
        mean, covariance = self.mean_and_covariance()
        save_statistics(path, mean, covariance, self.count)


def feature_statistics(features):
    """(mean, covariance) of a (n, d) feature array, in float64."""
    return FeatureStatistics().update(features).mean_and_covariance()


def save_statistics(path, mean, covariance, count=None):
    """Writes reference statistics to an `.npz` file readable by pytorch-fid, atomically.

    Raises:
        ValueError: unless `mean` is (d,) and `covariance` (d, d), all finite.
    """
    path = os.fspath(path)
    mean, covariance = _checked_statistics(mean, covariance, f"Statistics for {path}")
    extra = {} if count is None else {"n": np.int64(count)}
    with atomic_write(path, suffix=".npz") as temporary:
        np.savez(temporary, mu=mean, sigma=covariance, **extra)
    return path


def load_statistics(path):
    """(mean, covariance) from an `.npz` file with `mu` and `sigma` (ours or pytorch-fid's).

    Nothing is unpickled: an archive holding Python objects is refused.

    Returns:
        (mean, covariance), float64 arrays of shapes (d,) and (d, d).

    Raises:
        ValueError: if `path` does not exist, is not an `.npz` archive (or
            is truncated or corrupt), lacks `mu` or `sigma`, or they are not
            a finite (d,) mean and a symmetric (d, d) covariance with
            d <= `MAX_FEATURES`.
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        raise ValueError(f"{path} is a folder, not a statistics file (.npz with mu and sigma).")
    if not os.path.exists(path):
        raise ValueError(f"Statistics file {path} does not exist.")
    try:
        data = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(
            f"{path} is not a readable .npz statistics file ({_describe(error)})."
        ) from None
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise ValueError(f"{path} holds a single .npy array, not an .npz file with mu and sigma.")
    with data:
        missing = {"mu", "sigma"} - set(data.files)
        if missing:
            raise ValueError(f"{path} is not a statistics file: it lacks {sorted(missing)}.")
        # Headers first: a tampered one can neither unpickle objects nor make
        # the reader allocate more than a (MAX_FEATURES, MAX_FEATURES) sigma.
        declared = _read(path, lambda: {key: _declared_array(data, key) for key in ("mu", "sigma")})
        _check_declared(declared, path)
        mean, covariance = _read(path, lambda: (data["mu"], data["sigma"]))
    return _checked_statistics(mean, covariance, path)


def _read(path, read):
    """`read()`, with a damaged archive's errors turned into one ValueError naming `path`."""
    try:
        return read()
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise ValueError(
            f"{path} is truncated or corrupt: cannot read mu and sigma ({_describe(error)})."
        ) from None


def _declared_array(data, key):
    """(shape, dtype) from the `.npy` header of `key` in an open `.npz` archive."""
    name = f"{key}.npy" if f"{key}.npy" in data.zip.namelist() else key
    with data.zip.open(name) as member:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(member)
        else:
            shape, _, dtype = np.lib.format.read_array_header_2_0(member)
    return shape, dtype


def _check_declared(declared, path):
    for key, (_, dtype) in declared.items():
        if dtype.hasobject:
            raise ValueError(
                f"{path} holds Python objects in {key}, which are never unpickled; a "
                "statistics file holds numbers."
            )
    mean_shape, covariance_shape = declared["mu"][0], declared["sigma"][0]
    size = mean_shape[0] if len(mean_shape) == 1 else None
    if size is None or not 1 <= size <= MAX_FEATURES or covariance_shape != (size, size):
        raise ValueError(
            f"{path}: expected mu of shape (d,) and sigma of shape (d, d) with 1 <= d <= "
            f"{MAX_FEATURES}; got {mean_shape} and {covariance_shape}."
        )


def _checked_statistics(mean, covariance, source):
    """(mean, covariance) as float64 after checking they make a Gaussian."""
    mean, covariance = np.asarray(mean), np.asarray(covariance)
    for name, array in (("mu", mean), ("sigma", covariance)):
        if array.dtype.kind not in "iuf":
            raise ValueError(f"{source}: {name} must hold numbers; got dtype {array.dtype}.")
    mean, covariance = mean.astype(np.float64), covariance.astype(np.float64)
    if mean.ndim != 1 or len(mean) == 0 or covariance.shape != (len(mean), len(mean)):
        raise ValueError(
            f"{source}: expected mu of shape (d,) and sigma of shape (d, d); got "
            f"{mean.shape} and {covariance.shape}."
        )
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(covariance))):
        raise ValueError(f"{source}: mu or sigma contains NaN or infinite values.")
    scale = max(float(np.abs(covariance).max()), 1e-30)
    if float(np.abs(covariance - covariance.T).max()) > 1e-6 * scale:
        raise ValueError(f"{source}: sigma is not symmetric, so not a covariance matrix.")
    return mean, covariance


def _describe(error):
    return " ".join(str(error).split()) or type(error).__name__


def frechet_distance(mean1, covariance1, mean2, covariance2):
    """The Fréchet distance between N(mean1, covariance1) and N(mean2, covariance2).

    tr sqrt(S1 S2) is computed as the sum of square roots of the eigenvalues
    of the symmetric matrix sqrt(S1) S2 sqrt(S1), which has the same
    eigenvalues as S1 S2: this agrees with scipy.linalg.sqrtm to about 1e-6
    and is faster. Tiny negative eigenvalues from rounding are clipped to 0.
    """
    mean1, mean2 = np.asarray(mean1, np.float64), np.asarray(mean2, np.float64)
    covariance1 = np.asarray(covariance1, np.float64)
    covariance2 = np.asarray(covariance2, np.float64)
    if mean1.shape != mean2.shape or covariance1.shape != covariance2.shape:
        raise ValueError(
            f"The two Gaussians differ in size: means {mean1.shape} and {mean2.shape}, "
            f"covariances {covariance1.shape} and {covariance2.shape}."
        )
    eigenvalues, eigenvectors = np.linalg.eigh(covariance1)
    root1 = (eigenvectors * np.sqrt(np.clip(eigenvalues, 0, None))) @ eigenvectors.T
    product_eigenvalues = np.linalg.eigvalsh(root1 @ covariance2 @ root1)
    trace_sqrt_product = np.sqrt(np.clip(product_eigenvalues, 0, None)).sum()
    difference = mean1 - mean2
    distance = (
        difference @ difference
        + np.trace(covariance1)
        + np.trace(covariance2)
        - 2.0 * trace_sqrt_product
    )
    return float(distance)


def frechet_distance_of_features(features1, features2):
    """FID's formula applied to two (n, d) feature arrays."""
    return frechet_distance(*feature_statistics(features1), *feature_statistics(features2))
