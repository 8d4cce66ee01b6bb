"""Precision/recall (Kynkäänniemi et al. 2019) and density/coverage (Naeem et al. 2020).

Both estimate each set's manifold as the union of balls around its samples,
each ball's radius being the distance to the sample's k-th nearest neighbour
(itself excluded).

- Precision: share of generated samples inside the real manifold (quality).
- Recall: share of real samples inside the generated manifold (variety).
- Density: how many real balls hold each generated sample, over k (can exceed 1).
- Coverage: share of real samples whose ball holds a generated sample.

Conventions, as the reference code has them: precision/recall with k = 3 and
membership `<=` (https://arxiv.org/abs/1904.06991); density/coverage with
k = 5 and strict `<` (the `prdc` package, https://arxiv.org/abs/2002.09797).
Distances are computed in row chunks so 50,000 samples fit in memory.
"""

import numpy as np

_CHUNK_ROWS = 1024


def _check(real, fake):
    real, fake = np.asarray(real, np.float32), np.asarray(fake, np.float32)
    if real.ndim != 2 or fake.ndim != 2 or real.shape[1] != fake.shape[1]:
        raise ValueError(
            f"Expected two (n, d) feature arrays of the same d, got {real.shape} and {fake.shape}."
        )
    return real, fake


def _distances(a, b):
    """Euclidean distances between the rows of a and b, (len(a), len(b)).

    float32 matrix products (the expansion |a|^2 + |b|^2 - 2 a.b), as the
    reference code computes them; ties at the ball boundary are then decided
    in the same precision.
    """
    squared = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * (a @ b.T)
    return np.sqrt(np.clip(squared, 0, None))


def _radii_and_counts(centers, k, points, strict):
    """k-NN radii of `centers`, how many of their balls hold each point, and
    each center's distance to its nearest point."""
    if len(centers) <= k:
        raise ValueError(f"k = {k} needs more than {k} samples, got {len(centers)}.")
    radii = np.empty(len(centers), np.float32)
    for start in range(0, len(centers), _CHUNK_ROWS):
        chunk = _distances(centers[start : start + _CHUNK_ROWS], centers)
        # Index k of the sorted row: index 0 is the sample itself (distance 0).
        radii[start : start + len(chunk)] = np.partition(chunk, k, axis=1)[:, k]
    counts = np.zeros(len(points), dtype=np.int64)
    nearest_point = np.empty(len(centers), np.float32)
    for start in range(0, len(centers), _CHUNK_ROWS):
        chunk = _distances(centers[start : start + _CHUNK_ROWS], points)
        bound = radii[start : start + len(chunk), None]
        counts += (chunk < bound if strict else chunk <= bound).sum(axis=0)
        nearest_point[start : start + len(chunk)] = chunk.min(axis=1)
    return radii, counts, nearest_point


def precision_recall(real_features, fake_features, k=3, strict=False):
    """{"precision", "recall"} of generated features against real ones.

    `k=3, strict=False` is Kynkäänniemi et al.'s definition; `k=5,
    strict=True` reproduces the `prdc` package's precision and recall.
    """
    real, fake = _check(real_features, fake_features)
    _, fake_in_real, _ = _radii_and_counts(real, k, fake, strict)
    _, real_in_fake, _ = _radii_and_counts(fake, k, real, strict)
    return {
        "precision": float((fake_in_real > 0).mean()),
        "recall": float((real_in_fake > 0).mean()),
    }


def density_coverage(real_features, fake_features, k=5):
    """{"density", "coverage"} of generated features against real ones (strict <)."""
    real, fake = _check(real_features, fake_features)
    radii, fake_in_real, nearest_fake = _radii_and_counts(real, k, fake, strict=True)
    return {
        "density": float(fake_in_real.mean() / k),
        "coverage": float((nearest_fake < radii).mean()),
    }
