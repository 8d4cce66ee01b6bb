"""FID, KID, IS, precision/recall and density/coverage on features: closed forms and
independent reference computations (SciPy / scikit-learn / brute force).

The metrics are NumPy (float64): the module runs once (`neutral`)."""

import numpy as np
import pytest
import scipy.linalg
from scipy.spatial.distance import cdist
from sklearn.metrics.pairwise import polynomial_kernel

from keras_gan_zoo import metrics

pytestmark = pytest.mark.neutral


def _features(n, d, seed, shift=0.0, scale=1.0):
    rng = np.random.default_rng(seed)
    mixing = rng.standard_normal((d, d)) / np.sqrt(d)
    return (rng.standard_normal((n, d)) @ mixing) * scale + shift


# === FID ===


def test_frechet_distance_closed_forms():
    features = _features(500, 16, seed=0)
    assert abs(metrics.frechet_distance_of_features(features, features)) < 1e-9
    # Identity covariances: only the squared mean distance remains.
    mean1, mean2 = np.arange(5.0), np.arange(5.0)[::-1]
    identity = np.eye(5)
    assert metrics.frechet_distance(mean1, identity, mean2, identity) == pytest.approx(
        np.sum((mean1 - mean2) ** 2), rel=1e-12
    )
    # One dimension: (m1 - m2)^2 + (s1 - s2)^2.
    value = metrics.frechet_distance([1.0], [[4.0]], [3.0], [[9.0]])
    assert value == pytest.approx((1 - 3) ** 2 + (2 - 3) ** 2, rel=1e-12)


def test_frechet_distance_matches_the_sqrtm_formula():
    real, fake = _features(2000, 64, seed=1), _features(2000, 64, seed=2, shift=0.3, scale=1.2)
    mean1, cov1 = np.mean(real, 0), np.cov(real, rowvar=False)
    mean2, cov2 = np.mean(fake, 0), np.cov(fake, rowvar=False)
    # The formula as TTUR and pytorch-fid write it, with scipy's matrix square root.
    covmean = scipy.linalg.sqrtm(cov1 @ cov2).real
    expected = np.sum((mean1 - mean2) ** 2) + np.trace(cov1 + cov2 - 2 * covmean)
    assert metrics.frechet_distance_of_features(real, fake) == pytest.approx(expected, rel=1e-7)


def test_streaming_statistics_equal_numpy_and_round_trip_through_npz(tmp_path):
    features = _features(3001, 32, seed=3, shift=100.0)  # a large mean tests the merging
    statistics = metrics.FeatureStatistics()
    for batch in np.array_split(features, [1, 7, 1000, 2500]):
        statistics.update(batch)
    mean, covariance = statistics.mean_and_covariance()
    np.testing.assert_allclose(mean, features.mean(0), rtol=1e-12)
    np.testing.assert_allclose(covariance, np.cov(features, rowvar=False), rtol=1e-9, atol=1e-12)

    path = tmp_path / "reference.npz"
    statistics.save(path)
    with np.load(path) as saved:  # pytorch-fid reads exactly these keys
        assert set(saved.files) == {"mu", "sigma", "n"} and int(saved["n"]) == 3001
    loaded = metrics.load_statistics(path)
    np.testing.assert_array_equal(loaded[0], mean)
    np.testing.assert_array_equal(loaded[1], covariance)

    np.savez(tmp_path / "other.npz", mean=mean)
    with pytest.raises(ValueError, match="lacks \\['mu', 'sigma'\\]"):
        metrics.load_statistics(tmp_path / "other.npz")
    with pytest.raises(ValueError, match="dimensions"):
        statistics.update(np.zeros((4, 31)))
    with pytest.raises(ValueError, match="NaN"):
        statistics.update(np.full((4, 32), np.nan))
    with pytest.raises(ValueError, match="at least 2"):
        metrics.FeatureStatistics().update(np.zeros((1, 3))).mean_and_covariance()
    with pytest.raises(ValueError, match="differ in size"):
        metrics.frechet_distance(np.zeros(3), np.eye(3), np.zeros(4), np.eye(4))


# === KID ===


def _reference_kid(fake, real, subsets, subset_size, seed):
    """Brute force: the unbiased MMD^2 with explicit off-diagonal masks."""
    rng = np.random.RandomState(seed)
    values = []
    for _ in range(subsets):
        x = fake[rng.choice(len(fake), subset_size, replace=False)]
        y = real[rng.choice(len(real), subset_size, replace=False)]
        kernel = lambda a, b: polynomial_kernel(a, b, degree=3, gamma=1 / a.shape[1], coef0=1)  # noqa: E731
        off_diagonal = ~np.eye(subset_size, dtype=bool)
        values.append(
            kernel(x, x)[off_diagonal].mean()
            + kernel(y, y)[off_diagonal].mean()
            - 2 * kernel(x, y).mean()
        )
    return np.mean(values), np.std(values)


def test_kernel_distance_matches_the_brute_force_estimate():
    fake, real = _features(400, 24, seed=4, shift=0.2), _features(300, 24, seed=5)
    ours = metrics.kernel_distance(fake, real, subsets=10, subset_size=200, seed=7)
    np.testing.assert_allclose(ours, _reference_kid(fake, real, 10, 200, 7), rtol=1e-9)
    # The subset size falls back to the smaller set.
    small = metrics.kernel_distance(fake, real[:50], subsets=3, seed=1)
    np.testing.assert_allclose(small, _reference_kid(fake, real[:50], 3, 50, 1), rtol=1e-9)


def test_kernel_distance_is_unbiased():
    both = _features(2000, 16, 6)  # one distribution (one mixing matrix), two samples
    same = metrics.kernel_distance(both[:1000], both[1000:], 20, 500)
    # Two samples of one distribution: about 0, within the subset spread.
    assert abs(same[0]) < 2 * same[1] + 1e-4
    different = metrics.kernel_distance(both[:1000] + 0.5, both[1000:])
    assert different[0] > 20 * different[1]


# === IS ===


def test_inception_score_closed_forms():
    classes = 7
    one_hot = np.tile(np.eye(classes), (10, 1)) * 60.0  # confident and balanced
    mean, std = metrics.inception_score(one_hot, splits=10, shuffle_seed=None)
    assert mean == pytest.approx(classes, rel=1e-9) and std < 1e-9
    assert metrics.inception_score(np.zeros((100, 10)))[0] == pytest.approx(1.0)
    # All mass on one class: no variety, IS 1.
    assert metrics.inception_score(np.tile([[80.0, 0, 0]], (50, 1)))[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="at least 10 rows"):
        metrics.inception_score(np.zeros((5, 3)))


def test_inception_score_matches_the_kl_formula_with_torch_fidelitys_order():
    logits = np.random.default_rng(10).normal(0, 3, (1000, 20))
    order = np.random.RandomState(2020).permutation(1000)
    probabilities = scipy.special.softmax(logits[order], axis=1)
    scores = []
    for split in np.array_split(probabilities, 10):
        kl = scipy.stats.entropy(split.T, split.mean(0)[:, None]).mean()
        scores.append(np.exp(kl))
    np.testing.assert_allclose(metrics.inception_score(logits), (np.mean(scores), np.std(scores)))


# === Precision/recall, density/coverage ===


def _reference_prdc(real, fake, k, strict):
    """Brute force with full distance matrices and sorting."""
    inside = np.less if strict else np.less_equal
    real_radii = np.sort(cdist(real, real), axis=1)[:, k]
    fake_radii = np.sort(cdist(fake, fake), axis=1)[:, k]
    real_fake = cdist(real, fake)
    return {
        "precision": inside(real_fake, real_radii[:, None]).any(axis=0).mean(),
        "recall": inside(real_fake.T, fake_radii[:, None]).any(axis=0).mean(),
        "density": inside(real_fake, real_radii[:, None]).sum(axis=0).mean() / k,
        "coverage": (real_fake.min(axis=1) < real_radii).mean(),
    }


def test_manifold_metrics_match_brute_force():
    real, fake = _features(1500, 10, 11), _features(1300, 10, 12, shift=0.3)
    for k, strict in ((3, False), (5, True)):
        expected = _reference_prdc(real, fake, k, strict)
        ours = metrics.precision_recall(real, fake, k=k, strict=strict)
        assert ours == pytest.approx({key: expected[key] for key in ours}, abs=1e-9)
    expected = _reference_prdc(real, fake, 5, True)
    ours = metrics.density_coverage(real, fake, k=5)
    assert ours == pytest.approx({key: expected[key] for key in ours}, abs=1e-9)


def test_manifold_metrics_on_identical_and_disjoint_sets():
    real = _features(300, 8, 13)
    assert metrics.precision_recall(real, real) == {"precision": 1.0, "recall": 1.0}
    assert metrics.density_coverage(real, real)["coverage"] == 1.0
    far = real + 1000.0
    assert metrics.precision_recall(real, far) == {"precision": 0.0, "recall": 0.0}
    assert metrics.density_coverage(real, far) == {"density": 0.0, "coverage": 0.0}
    with pytest.raises(ValueError, match="same d"):
        metrics.precision_recall(real, real[:, :4])
    with pytest.raises(ValueError, match="more than 5 samples"):
        metrics.density_coverage(real[:5], real[:5])


def test_prdc_readme_setting_gives_its_published_values():
    # prdc's README: two independent N(0, I) sets of 10,000 in 1000-d, k=5, strict <:
    # precision 0.4772, recall 0.4705, density 1.0555, coverage 0.9735 ("they
    # fluctuate"). Across seeds 0-2 we measured precision 0.456-0.466, recall
    # 0.472-0.496, density 0.86-0.97, coverage 0.954-0.968.
    rng = np.random.RandomState(2)
    real = rng.normal(0, 1, (10_000, 1000)).astype("float32")
    fake = rng.normal(0, 1, (10_000, 1000)).astype("float32")
    pr = metrics.precision_recall(real, fake, k=5, strict=True)
    dc = metrics.density_coverage(real, fake, k=5)
    assert pr["precision"] == pytest.approx(0.4772, abs=0.03)
    assert pr["recall"] == pytest.approx(0.4705, abs=0.03)
    assert dc["density"] == pytest.approx(1.0555, abs=0.15)
    assert dc["coverage"] == pytest.approx(0.9735, abs=0.02)
