"""Inception Score (Salimans et al. 2016, https://arxiv.org/abs/1606.03498) from logits.

IS = exp(E_x KL(p(y|x) || p(y))), computed on `splits` consecutive slices of
the samples and reported as mean and std over the slices. Softmax in float64.
The FID Inception network's 1008 logits are taken without the final bias,
as in the original code; that is the feature extractor's job, not this
function's. `shuffle_seed=2020` reproduces torch-fidelity's order; None keeps
the order given (improved-gan and StyleGAN).
"""

import numpy as np


def inception_score(logits, splits=10, shuffle_seed=2020):
    """(mean, std) of the Inception Score of (n, classes) logits."""
    logits = np.asarray(logits, np.float64)
    if logits.ndim != 2 or len(logits) < splits:
        raise ValueError(
            f"logits must be an (n, classes) array with at least {splits} rows, got {logits.shape}."
        )
    if shuffle_seed is not None:
        logits = logits[np.random.RandomState(shuffle_seed).permutation(len(logits))]
    log_p = logits - logits.max(axis=1, keepdims=True)
    log_p = log_p - np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    p = np.exp(log_p)
    n = len(logits)
    scores = []
    for split in range(splits):
        rows = slice(split * n // splits, (split + 1) * n // splits)
        with np.errstate(divide="ignore"):
            log_marginal = np.log(p[rows].mean(axis=0))
        # 0 * log 0 = 0, also where a class's marginal underflows to 0.
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(p[rows] > 0, p[rows] * (log_p[rows] - log_marginal), 0.0)
        kl = terms.sum(axis=1).mean()
        scores.append(np.exp(kl))
    return float(np.mean(scores)), float(np.std(scores))
