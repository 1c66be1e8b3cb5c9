"""Synthetic statements for the scale benchmark, derived from the real claims.

Each statement splices a span of one real claim (or fact-check title) onto a
span of another and then perturbs it (drops or swaps a word), with a seeded
RNG, so the vocabulary and term frequencies stay realistic while the texts
are new.  Nothing here is written to disk.
"""

from __future__ import annotations

import numpy as np


def synthetic_statements(sources: list[str], n: int, seed: int = 7) -> list[str]:
    """``n`` statements built from ``sources`` (same seed, same output)."""
    rng = np.random.default_rng(seed)
    pieces = [s.split() for s in sources if len(s.split()) >= 4]
    picks = rng.integers(0, len(pieces), size=(n, 2))
    fracs = rng.random((n, 4))
    out = []
    for (a, b), (fa, fb, fd, fs) in zip(picks.tolist(), fracs.tolist()):
        left, right = pieces[a], pieces[b]
        cut_a = 2 + int(fa * (len(left) - 2))
        start_b = int(fb * (len(right) - 2))
        words = left[:cut_a] + right[start_b:start_b + 12]
        if fd < 0.5 and len(words) > 5:  # drop one word
            del words[int(fd * 2 * (len(words) - 1))]
        if fs < 0.3 and len(words) > 3:  # swap two neighbours
            i = int(fs / 0.3 * (len(words) - 2))
            words[i], words[i + 1] = words[i + 1], words[i]
        out.append(" ".join(words))
    return out
