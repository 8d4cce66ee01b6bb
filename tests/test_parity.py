"""Cross-backend parity: every registered model's steps leave the same state everywhere.

tests/parity_run.py trains each model's tiny configuration, and variants that
put every public trick and batch-statistics layer into a step, for a few
steps from the same weights, batches and random draws on one backend, and
evaluates every adversarial loss; each backend's dump is made once per
suite. Here every backend's dump is compared with TensorFlow's, model by
model. This is what lets the `carried` tier (tests/conftest.py) test their
behaviour on one backend only.
"""

import os
import platform
import warnings

import numpy as np
import parity_run
import pytest
from conftest import BACKENDS
from conftest import made_once
from conftest import run_python

import keras_gan_zoo

# float32 convolutions and reductions are summed in a different order by each
# framework, and the differences grow through the steps. After 3 steps from
# weights of scale 0.05 (learning rates 5e-5 to 1e-3, so a weight moves by
# up to about 1.5e-2 over WGAN's 15 critic updates), measured on 2026-11-29
# over all models, each backend against the others: weights (BatchNorm
# statistics and spectral-norm vectors included) agree to 2.2e-6 (DRAGAN's
# logit kernel, torch; every other model 1.4e-6 or less), so WEIGHT_ATOL is
# under a tenth of the smallest learning rate. Optimizer moments agree to
# 7.4e-5 of their largest entry (Unrolled GAN's D, whose moments also feed
# G's unrolled loss; every other model 6e-6 or less).
WEIGHT_ATOL = 1e-5
MOMENT_TOLERANCE = 5e-4
# A parameter whose gradient is 0 in exact arithmetic (a bias right before a
# normalization) has moments of pure rounding noise: 2e-10 against TF's 0.
MOMENT_FLOOR = 1e-8
# This test found one real difference, now fixed: tf.nn.moments (behind
# keras.ops.moments on TensorFlow) stops the mean's gradient inside the
# variance, which keeps first derivatives exact but not second ones. WGAN-GP's
# penalty (layer-norm critic) and Unrolled GAN's unrolled D updates (batch
# norm in D) differentiate twice through them, and were 2.0e-4 and 2.6e-5 off
# after 3 steps on TensorFlow while JAX and torch agreed to 1.2e-7. The zoo's
# normalization layers take their statistics from keras_gan_zoo.backend.moments.
# A second one was not a difference: the backends take different slopes at a
# ReLU's kink, and one variant's draws put a value on it (parity_run.REDRAWN).
MODELS = parity_run.all_names()
# What a broken backend primitive does to the models it touches (see
# parity_run.BROKEN_PRIMITIVES): an update that leaves out a variable, and a
# penalty gradient that is not differentiable.
BREAKS = {"dcgan": "minimize", "dragan": "input_gradient"}


def _dump(shared_folder, backend, name="parity", env=None):
    # Each backend's dump is made once per suite, by whichever run needs it first.
    folder = made_once(
        shared_folder,
        f"{name}_{backend}",
        lambda scratch: run_python(
            ["tests/parity_run.py", scratch / "state.npz"], backend, env=env
        ),
    )
    return dict(np.load(folder / "state.npz"))


@pytest.fixture(scope="module")
def states(shared_folder):
    return {backend: _dump(shared_folder, backend) for backend in BACKENDS}


def mismatches(reference, candidate, model):
    """Where `candidate`'s state of `model` differs from `reference`'s, beyond the tolerances.

    Returns:
        A list of lines `variable: how it differs`; empty when they agree.
    """
    prefix = f"{model}/"
    expected = {k: v for k, v in reference.items() if k.startswith(prefix)}
    got = {k: v for k, v in candidate.items() if k.startswith(prefix)}
    if sorted(expected) != sorted(got):
        return [f"different variables: {sorted(set(expected) ^ set(got))}"]
    found = []
    for name, value in expected.items():
        deviation = float(np.max(np.abs(got[name] - value))) if value.size else 0.0
        if name.endswith("iteration") or name.endswith("iterations"):
            if not np.array_equal(got[name], value):
                found.append(f"{name}: {got[name]} steps, expected {value}")
        elif "_optimizer/" in name and value.ndim > 0:
            scale = float(np.max(np.abs(value)))
            if deviation > MOMENT_TOLERANCE * scale + MOMENT_FLOOR:
                relative = f"{deviation / scale:.3g} of its scale" if scale else "expected all 0"
                found.append(f"{name}: off by {deviation:.3g}, {relative}")
        elif deviation > WEIGHT_ATOL:
            found.append(f"{name}: off by {deviation:.3g}")
    return found


@pytest.mark.parametrize("other", [b for b in BACKENDS if b != "tensorflow"])
@pytest.mark.parametrize("model", MODELS)
def test_steps_match_tensorflow(states, model, other, tmp_path):
    assert any(k.startswith(f"{model}/") for k in states["tensorflow"]), model
    found = mismatches(states["tensorflow"], states[other], model)
    if found:
        found = recheck(states, model, other, found, rerun_in(tmp_path, model))
    assert not found, f"{model} on {other} differs from TensorFlow:\n" + "\n".join(found)


def rerun_in(folder, model, env=None):
    """`backend -> its dump of model alone` (the full dump's draws), made in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)

    def rerun(backend):
        variables = {"KERAS_GAN_ZOO_PARITY_MODELS": model, **(env or {}).get(backend, {})}
        run_python(["tests/parity_run.py", folder / f"{backend}.npz"], backend, env=variables)
        return dict(np.load(folder / f"{backend}.npz"))

    return rerun


def recheck(states, model, other, found, rerun):
    """Dumps `model` again on TensorFlow and `other` (with `rerun`) and says what the mismatch was.

    A difference between backends is in the program: each backend repeats its
    own dump to the last bit, and the two still differ. That is a failure.
    Twice in fresh-clone CI runs (2026-11-29, -30) `gan+penalties+historical_averaging`
    came out 0.1-0.4% off in D's moments, while here 41 dumps of it, alone, in
    the full dump, under load and with any hash seed, were identical to the
    last bit. A backend that does not repeat its own dump is not running a
    different program from the others but an unstable one on that machine, and
    that is reported as a warning naming it (and the machine), not as a
    difference between backends; so is a mismatch that the rerun does not repeat.

    Returns:
        The mismatches to fail on: those the rerun repeats while both backends
        reproduce their first dumps; empty otherwise.
    """
    again = {backend: rerun(backend) for backend in ("tensorflow", other)}
    unstable = [
        backend
        for backend, dump in again.items()
        if any(
            not np.array_equal(value, states[backend][name])
            for name, value in dump.items()
            if name.startswith(f"{model}/")
        )
    ]
    repeated = mismatches(again["tensorflow"], again[other], model)
    if repeated and not unstable:
        return [
            f"{line} (again on a rerun; both backends reproduced their dumps)" for line in repeated
        ]
    outcome = f"the rerun differs too ({repeated[0]}, ...)" if repeated else "the rerun agrees"
    warnings.warn(
        f"{model}: the first dumps differed ({found[0]}, ...); {outcome}. Not reproduced "
        f"from run to run: {unstable or 'neither'}, on {machine()}",
        stacklevel=2,
    )
    return []


def machine():
    """The CPU this runs on, for a report of a dump that did not repeat."""
    try:
        with open("/proc/cpuinfo") as info:
            lines = info.read().splitlines()
    except OSError:
        return platform.processor() or platform.machine()
    model = next(
        (line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "?"
    )
    flags = next((line.split(":", 1)[1].split() for line in lines if line.startswith("flags")), [])
    wide = sorted(flag for flag in flags if flag.startswith(("avx512", "amx")))
    return f"{model}, {os.cpu_count()} CPUs, {' '.join(wide) or 'no avx512/amx'}"


@pytest.mark.parametrize("other", [b for b in BACKENDS if b != "tensorflow"])
def test_losses_and_their_gradients_match_tensorflow(states, other):
    names = [k for k in states["tensorflow"] if k.startswith("losses/")]
    assert len(names) == 4 * len(keras_gan_zoo.losses.adversarial_loss_names())
    for name in names:
        np.testing.assert_allclose(
            states[other][name], states["tensorflow"][name], rtol=1e-5, atol=1e-6, err_msg=name
        )


@pytest.mark.parametrize("model", MODELS)
def test_optimizer_state_advances_on_every_backend(states, model):
    """JAX trap: optimizers outside `model.optimizer` restart every step."""
    for backend, state in states.items():
        iterations = {
            k: int(v)
            for k, v in state.items()
            if k.startswith(f"{model}/") and k.endswith("iteration")
        }
        # Every player updates at least once per step (3 steps).
        assert iterations and all(v >= 3 and v % 3 == 0 for v in iterations.values()), (
            backend,
            iterations,
        )
        moments = [v for k, v in state.items() if k.startswith(f"{model}/") and "_optimizer/" in k]
        assert any(v.ndim > 0 and np.any(v != 0) for v in moments), backend


@pytest.mark.neutral
def test_broken_backend_primitive_fails_parity(states, shared_folder):
    """A deliberately broken primitive on one backend (torch) is caught, model by model."""
    env = {
        "KERAS_GAN_ZOO_PARITY_MODELS": ",".join(BREAKS),
        "KERAS_GAN_ZOO_PARITY_BREAK": ",".join(f"{m}={p}" for m, p in BREAKS.items()),
    }
    broken = _dump(shared_folder, "torch", name="parity_broken", env=env)
    for model, primitive in BREAKS.items():
        # The same comparison that passes without the break...
        assert not mismatches(states["tensorflow"], states["torch"], model), model
        # ...reports it, naming the variables that moved differently.
        found = mismatches(states["tensorflow"], broken, model)
        assert found, f"breaking {primitive} went unnoticed in {model}"


@pytest.mark.neutral
def test_recheck_fails_only_on_a_difference_both_backends_repeat(states):
    model = "gan+penalties+historical_averaging"
    first = {**states["tensorflow"]}
    name = next(k for k in first if k.startswith(f"{model}/d_optimizer/") and first[k].ndim)
    first[name] = first[name] * 1.01
    found = mismatches(first, states["torch"], model)
    assert found
    reruns = {"tensorflow": first, "torch": states["torch"]}
    # Both backends repeat their dumps, which still differ: a difference in the program.
    failed = recheck({**states, "tensorflow": first}, model, "torch", found, reruns.get)
    assert failed and all("both backends reproduced" in line for line in failed)
    assert name in failed[0]
    # TensorFlow's first dump was off and the rerun agrees: a warning naming it.
    with pytest.warns(UserWarning, match=r"the rerun agrees\. Not reproduced .*\['tensorflow'\]"):
        assert recheck({**states, "tensorflow": first}, model, "torch", found, states.get) == []
    # TensorFlow gives a different dump each time: unstable, not a backend difference.
    unsteady = {**first, name: first[name] * 1.01}
    reruns = {"tensorflow": unsteady, "torch": states["torch"]}
    with pytest.warns(UserWarning, match=r"the rerun differs too .*\['tensorflow'\], on .*CPUs"):
        assert recheck({**states, "tensorflow": first}, model, "torch", found, reruns.get) == []


@pytest.mark.neutral
def test_recheck_reruns_the_model_alone_with_the_same_draws(states, tmp_path):
    """The rerun of one model reproduces its part of the full dump, and carries a break."""
    model = "dragan"
    rerun = rerun_in(
        tmp_path, model, env={"torch": {"KERAS_GAN_ZOO_PARITY_BREAK": f"{model}=input_gradient"}}
    )
    assert not mismatches(states["tensorflow"], rerun("tensorflow"), model)
    assert mismatches(states["tensorflow"], rerun("torch"), model)
