"""InfoGAN's categorical-code accuracy: how well a learned code separates the true classes.

InfoGAN (Chen et al. 2016, https://arxiv.org/abs/1606.03657, Section 7.1)
learns a categorical code without labels, so code k has no built-in class.
To score it, the codes of real images (e.g. the argmax of Q on the test
set) are matched to the true classes one-to-one, by the assignment that
gets the most examples right, and the accuracy is read under that
assignment. The paper reports a 5% error (95% accuracy) on MNIST for its
10-way code, "by matching each category in c1 to a digit type"; it does not
name the images it was measured on.

With more codes than classes each class gets its own code and the examples
of the codes left over count as errors; with fewer, the examples of the
classes left over do. The assignment is exact: the Hungarian algorithm
(Kuhn-Munkres, in its shortest-augmenting-path form with dual potentials,
O(k^2 c) for k <= c), on the integer counts, so every sum is exact in
float64. When several assignments tie, any one of them may be returned;
the accuracy is the same.
"""

import numpy as np

from keras_gan_zoo.utils import arguments

PROTOCOL = (
    "categorical-code accuracy (InfoGAN, Chen et al. 2016): the {codes} codes of {n:,} "
    "examples matched one-to-one to their {classes} classes by the assignment with the most "
    "matches (Hungarian algorithm, exact); examples of unmatched codes or classes count as errors"
)


def code_accuracy(predicted_codes, labels, num_codes=None, num_classes=None):
    """The accuracy of categorical codes under their best one-to-one match to the classes.

    Args:
        predicted_codes: the code of each example, either ints (n,) in
            [0, num_codes), or scores (n, num_codes) such as Q's logits,
            whose argmax is the code.
        labels: the true class of each example, ints (n,) >= 0.
        num_codes: how many codes there are; default the width of 2-D
            scores, else the largest code + 1.
        num_classes: how many classes there are; default the largest
            label + 1.

    Returns:
        A dict: "accuracy" (float), "error" (1 - accuracy), "assignment"
        (list, one entry per code: the class it is matched to, or None for
        an unmatched code), "confusion" (int64 array (num_codes,
        num_classes): examples with each code and class), "n", "num_codes",
        "num_classes" and "protocol".

    Raises:
        ValueError: the arrays are empty, differ in length, are not
            integers (codes may be 2-D scores), hold negative values, codes
            >= num_codes or labels >= num_classes, or a count is not a
            positive integer.
    """
    codes, num_codes = _checked_codes(predicted_codes, num_codes)
    labels = _checked_integers(labels, "labels")
    if len(codes) != len(labels):
        raise ValueError(
            f"predicted_codes has {len(codes):,} examples and labels {len(labels):,}; "
            "give one code per labelled example."
        )
    num_classes = _checked_count(num_classes, labels, "num_classes", "labels")

    confusion = np.zeros((num_codes, num_classes), dtype=np.int64)
    np.add.at(confusion, (codes, labels), 1)
    matched = best_assignment(confusion)
    correct = sum(
        int(confusion[code, label]) for code, label in enumerate(matched) if label is not None
    )
    accuracy = correct / len(codes)
    return {
        "accuracy": accuracy,
        "error": 1.0 - accuracy,
        "assignment": matched,
        "confusion": confusion,
        "n": len(codes),
        "num_codes": num_codes,
        "num_classes": num_classes,
        "protocol": PROTOCOL.format(codes=num_codes, n=len(codes), classes=num_classes),
    }


def best_assignment(counts):
    """The one-to-one matching of rows to columns with the largest total count.

    Args:
        counts: a (rows, columns) array of non-negative integers.

    Returns:
        A list, one entry per row: its column, or None when there are more
        rows than columns and the row is left unmatched.
    """
    counts = np.asarray(counts)
    if counts.ndim != 2 or 0 in counts.shape:
        raise ValueError(f"counts must be a non-empty 2-D array; got shape {counts.shape}.")
    # The Hungarian algorithm below matches every row of a matrix with no
    # more rows than columns; a tall matrix is matched through its transpose.
    if counts.shape[0] <= counts.shape[1]:
        return [int(column) for column in _minimum_cost_rows(-counts.astype(np.float64))]
    row_of_column = _minimum_cost_rows(-counts.T.astype(np.float64))
    matched = [None] * counts.shape[0]
    for column, row in enumerate(row_of_column):
        matched[int(row)] = column
    return matched


def _minimum_cost_rows(cost):
    """For a (k, c) cost with k <= c, the column of each row in a minimum-cost matching.

    The shortest-augmenting-path Hungarian algorithm: rows join one at a
    time; each join grows a Dijkstra-like tree over reduced costs (cost -
    u[row] - v[column] >= 0) to the nearest free column, updating the dual
    potentials u and v so reduced costs stay non-negative, then flips the
    path. Arrays carry a dummy column 0 that holds the row being added.
    """
    rows, columns = cost.shape
    u = np.zeros(rows + 1)
    v = np.zeros(columns + 1)
    row_of = np.zeros(columns + 1, dtype=np.int64)  # 1-based row matched to each column, 0: free
    previous = np.zeros(columns + 1, dtype=np.int64)  # the tree edge into each column
    padded = np.zeros((rows + 1, columns + 1))
    padded[1:, 1:] = cost
    for row in range(1, rows + 1):
        row_of[0] = row
        column = 0
        slack = np.full(columns + 1, np.inf)
        used = np.zeros(columns + 1, dtype=bool)
        while True:
            used[column] = True
            current = row_of[column]
            # Relax the free columns through `current`'s row.
            reduced = padded[current] - u[current] - v
            better = ~used & (reduced < slack)
            slack[better] = reduced[better]
            previous[better] = column
            candidates = np.where(used, np.inf, slack)
            next_column = int(np.argmin(candidates))
            delta = candidates[next_column]
            # Shift the potentials so the tree's edges stay tight.
            u[row_of[used]] += delta
            v[used] -= delta
            slack[~used] -= delta
            column = next_column
            if row_of[column] == 0:
                break
        # Flip the augmenting path back to the dummy column.
        while column:
            parent = previous[column]
            row_of[column] = row_of[parent]
            column = parent
    column_of = np.empty(rows, dtype=np.int64)
    for column in range(1, columns + 1):
        if row_of[column]:
            column_of[row_of[column] - 1] = column - 1
    return column_of


def _checked_codes(predicted_codes, num_codes):
    array = np.asarray(predicted_codes)
    if array.ndim == 2:
        if array.dtype.kind not in "iuf" or 0 in array.shape:
            raise ValueError(
                "predicted_codes as scores must be a non-empty (n, num_codes) array of "
                f"numbers; got shape {array.shape} and dtype {array.dtype}."
            )
        if not np.all(np.isfinite(array)):
            raise ValueError("predicted_codes (scores) contain NaN or infinite values.")
        width = array.shape[1]
        if num_codes is not None and arguments.check_int(num_codes, "num_codes", 1) != width:
            raise ValueError(
                f"predicted_codes has {width} score columns but num_codes={num_codes}."
            )
        return array.argmax(axis=1), width
    codes = _checked_integers(array, "predicted_codes")
    return codes, _checked_count(num_codes, codes, "num_codes", "predicted_codes")


def _checked_integers(values, name):
    array = np.asarray(values)
    if array.ndim != 1 or len(array) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array; got shape {array.shape}.")
    if array.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integers; got dtype {array.dtype}.")
    if array.min() < 0:
        raise ValueError(f"{name} must be >= 0; got {int(array.min())}.")
    return array.astype(np.int64)


def _checked_count(count, values, name, what):
    largest = int(values.max())
    if count is None:
        return largest + 1
    count = arguments.check_int(count, name, minimum=1)
    if largest >= count:
        raise ValueError(f"{what} holds {largest}, outside [0, {name}={count}).")
    return count
