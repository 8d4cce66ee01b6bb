"""Cross-backend parity: the same DCGAN steps leave the same state everywhere."""

import keras
import numpy as np
import pytest
from conftest import BACKENDS
from conftest import made_once
from conftest import run_python

# float32 convolutions and reductions are summed in different orders by each
# framework. After 3 Adam steps (lr 2e-4, so weights move by up to 6e-4) the
# weights agree to 2e-6 (measured against TensorFlow: 2.4e-7 on JAX, 3.7e-7 on
# torch); Adam moments agree to 0.01% of their largest entry (measured: 0.0006%).
WEIGHT_ATOL = 2e-6
MOMENT_TOLERANCE = 1e-4


@pytest.fixture(scope="module")
def states(shared_folder):
    # Each backend's dump is made once per suite, by whichever run needs it first.
    states = {}
    for backend in BACKENDS:
        folder = made_once(
            shared_folder,
            f"parity_{backend}",
            lambda scratch, backend=backend: run_python(
                ["tests/parity_run.py", scratch / "state.npz"], backend
            ),
        )
        states[backend] = dict(np.load(folder / "state.npz"))
    return states


@pytest.mark.parametrize("other", [b for b in BACKENDS if b != "tensorflow"])
def test_dcgan_steps_match_tensorflow(states, other):
    reference, candidate = states["tensorflow"], states[other]
    assert sorted(reference) == sorted(candidate)
    for name, expected in reference.items():
        got = candidate[name]
        if name.endswith("iteration") or name.endswith("iterations"):
            np.testing.assert_array_equal(got, expected, err_msg=name)
        elif name.startswith(("d_optimizer", "g_optimizer")) and expected.ndim > 0:
            scale = np.abs(expected).max()
            assert np.abs(got - expected).max() <= MOMENT_TOLERANCE * scale, name
        else:
            np.testing.assert_allclose(got, expected, rtol=0, atol=WEIGHT_ATOL, err_msg=name)


def test_optimizer_state_advances_on_current_backend(states):
    """JAX trap: optimizers outside `model.optimizer` restart every step."""
    state = states[keras.config.backend()]
    iterations = {k: v for k, v in state.items() if k.endswith("iteration")}
    assert iterations and all(int(v) == 3 for v in iterations.values()), iterations
    moments = [v for k, v in state.items() if "optimizer" in k and v.ndim > 0]
    assert moments and all(np.any(v != 0) for v in moments)
