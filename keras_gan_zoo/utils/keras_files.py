"""Loading Keras files completely or not at all.

Keras loads what it can of a weights or `.keras` file and only *warns* about
the parts it skips: an optimizer whose saved variables are missing or too
few keeps fresh moments and an iteration count of 0, a layer missing from
the file keeps its random initial weights. For a preset or a checkpoint that
is a wrong model, so those warnings are errors here.
"""

import contextlib
import re
import warnings

# The warnings Keras gives when it leaves part of a model as initialized
# instead of loading it from the file.
PARTIAL_LOAD = re.compile(r"Skipping|could not be loaded|freshly-initialized")


class IncompleteLoadError(ValueError):
    """Keras skipped part of a file it loaded (see `complete_load`)."""


@contextlib.contextmanager
def complete_load():
    """Raises `IncompleteLoadError` if Keras warns, in the block, that it skipped part of a file.

    The error carries Keras's first such warning; other warnings raised in
    the block are passed on unchanged.

    Raises:
        IncompleteLoadError: a ValueError.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    skipped = [str(w.message).strip() for w in caught if PARTIAL_LOAD.search(str(w.message))]
    for warning in caught:
        if not PARTIAL_LOAD.search(str(warning.message)):
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    if skipped:
        raise IncompleteLoadError(skipped[0])
