"""code_accuracy: InfoGAN's categorical code matched one-to-one to the classes.

Examples are built from a chosen confusion matrix (codes x classes), so the
best assignment can be found by trying every one-to-one matching; square,
wide and tall matrices are checked that way, and a matrix where the greedy
choice is wrong shows that the matching is exact.
"""

import itertools

import numpy as np
import pytest

from keras_gan_zoo.metrics import code_accuracy
from keras_gan_zoo.metrics.code_accuracy import best_assignment


def examples_from(confusion):
    """(codes, labels) with confusion[k, c] examples of code k and class c, shuffled."""
    confusion = np.asarray(confusion)
    codes, labels = np.nonzero(confusion)
    counts = confusion[codes, labels]
    codes, labels = np.repeat(codes, counts), np.repeat(labels, counts)
    order = np.random.default_rng(0).permutation(len(codes))
    return codes[order], labels[order]


def brute_force_matches(confusion):
    """The most examples any one-to-one matching of codes to classes gets right."""
    codes, classes = confusion.shape
    if codes >= classes:
        return max(
            sum(confusion[code, label] for label, code in enumerate(chosen))
            for chosen in itertools.permutations(range(codes), classes)
        )
    return max(
        sum(confusion[code, label] for code, label in enumerate(chosen))
        for chosen in itertools.permutations(range(classes), codes)
    )


@pytest.mark.neutral
def test_permuted_codes_are_perfect():
    labels = np.random.default_rng(1).integers(0, 10, 500)
    permutation = np.random.default_rng(2).permutation(10)
    score = code_accuracy(permutation[labels], labels)
    assert score["accuracy"] == 1.0 and score["error"] == 0.0
    # Code permutation[c] stands for class c.
    assert score["assignment"] == list(np.argsort(permutation))
    np.testing.assert_array_equal(
        score["confusion"][permutation, np.arange(10)], np.bincount(labels)
    )
    assert score["confusion"].sum() == 500
    assert (score["n"], score["num_codes"], score["num_classes"]) == (500, 10, 10)
    assert "10 codes of 500 examples" in score["protocol"]
    assert "Hungarian" in score["protocol"]


@pytest.mark.neutral
def test_the_best_assignment_beats_the_greedy_one():
    # Greedy takes code 0 -> class 0 (5) and is left with code 1 -> class 1 (0): 5 of 13.
    # The best matching crosses over: 4 + 4 = 8 of 13.
    confusion = np.array([[5, 4], [4, 0]])
    score = code_accuracy(*examples_from(confusion))
    assert score["assignment"] == [1, 0]
    assert score["accuracy"] == pytest.approx(8 / 13)
    np.testing.assert_array_equal(score["confusion"], confusion)


@pytest.mark.neutral
@pytest.mark.parametrize("codes,classes", [(3, 3), (5, 5), (6, 4), (7, 3), (3, 5), (1, 4)])
def test_matches_brute_force_on_random_confusions(codes, classes):
    rng = np.random.default_rng(codes * 10 + classes)
    for _ in range(8):
        # Sparse, lumpy counts make ties and tempting greedy choices common.
        confusion = rng.integers(0, 12, (codes, classes)) * (rng.random((codes, classes)) < 0.7)
        confusion[0, 0] += 1  # never empty
        score = code_accuracy(*examples_from(confusion), num_codes=codes, num_classes=classes)
        best = brute_force_matches(confusion)
        assert score["accuracy"] == pytest.approx(best / confusion.sum(), abs=1e-15)
        # The assignment is one-to-one and achieves that count.
        matched = [(k, c) for k, c in enumerate(score["assignment"]) if c is not None]
        assert len(matched) == min(codes, classes)
        assert len({c for _, c in matched}) == len(matched)
        assert sum(confusion[k, c] for k, c in matched) == best


@pytest.mark.neutral
def test_unmatched_codes_and_classes_are_errors():
    # Three codes for two classes: code 2 is left over and its 3 examples are wrong.
    score = code_accuracy(*examples_from([[6, 0], [1, 5], [2, 1]]))
    assert score["assignment"] == [0, 1, None]
    assert score["accuracy"] == pytest.approx(11 / 15)
    # Two codes for three classes: class 2's examples cannot be right.
    score = code_accuracy(*examples_from([[6, 1, 2], [0, 5, 1]]))
    assert score["assignment"] == [0, 1]
    assert score["accuracy"] == pytest.approx(11 / 15)
    # A code never predicted still takes part, through num_codes.
    score = code_accuracy([0, 0, 1], [1, 1, 0], num_codes=4)
    assert score["confusion"].shape == (4, 2) and score["assignment"][2:] == [None, None]


@pytest.mark.neutral
def test_scores_are_read_by_their_argmax():
    logits = np.array([[0.1, 2.0, -1.0], [3.0, 0.0, 0.0], [0.0, 0.0, 1.5], [0.0, 4.0, 0.0]])
    score = code_accuracy(logits, [0, 1, 2, 0])
    assert score["num_codes"] == 3 and score["accuracy"] == 1.0
    assert score["assignment"] == [1, 0, 2]


@pytest.mark.neutral
def test_many_codes_are_fast_and_exact():
    # 50 codes over 10 classes (over-clustering): every code of a class's five is
    # one of its own; the best matching picks one per class, the largest.
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 10, 5000)
    codes = labels * 5 + rng.integers(0, 5, 5000)
    score = code_accuracy(codes, labels)
    confusion = score["confusion"]
    expected = sum(confusion[5 * c : 5 * c + 5, c].max() for c in range(10))
    assert score["accuracy"] == pytest.approx(expected / 5000)
    assert best_assignment(confusion.T) == [int(np.argmax(confusion[:, c])) for c in range(10)]


@pytest.mark.neutral
def test_bad_input_is_named():
    with pytest.raises(ValueError, match="3 examples and labels 2"):
        code_accuracy([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="predicted_codes must be a non-empty 1-D"):
        code_accuracy([], [])
    with pytest.raises(ValueError, match="labels must be a non-empty 1-D"):
        code_accuracy([0, 1], [[0, 1]])
    with pytest.raises(ValueError, match="labels must hold integers"):
        code_accuracy([0, 1], [0.0, 1.0])
    with pytest.raises(ValueError, match="predicted_codes must be >= 0"):
        code_accuracy([0, -1], [0, 1])
    with pytest.raises(ValueError, match=r"predicted_codes holds 3, outside \[0, num_codes=3\)"):
        code_accuracy([0, 3], [0, 1], num_codes=3)
    with pytest.raises(ValueError, match=r"labels holds 2, outside \[0, num_classes=2\)"):
        code_accuracy([0, 1], [0, 2], num_classes=2)
    with pytest.raises(ValueError, match="num_codes must be a positive integer"):
        code_accuracy([0, 0], [0, 1], num_codes=0)
    with pytest.raises(ValueError, match="NaN or infinite"):
        code_accuracy(np.array([[0.0, np.nan]]), [0])
    with pytest.raises(ValueError, match="2 score columns but num_codes=3"):
        code_accuracy(np.zeros((1, 2)), [0], num_codes=3)
    with pytest.raises(ValueError, match="non-empty 2-D"):
        best_assignment(np.zeros((0, 3)))
