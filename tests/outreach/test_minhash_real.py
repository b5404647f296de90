"""The MinHash error bound of overlap.py, checked against exact Jaccard on the SNAP ego-Facebook graph."""

from __future__ import annotations

import itertools
import tarfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from signalboost.outreach import coverage, overlap

pytestmark = pytest.mark.shared
NUM_PERM = 256


def _ego_facebook(root: Path) -> dict[str, set[str]]:
    """Neighbour sets of the union of the 10 ego networks (alter–alter edges plus ego–alter edges)."""
    path = root / "ego-facebook-snap" / "facebook.tar.gz"
    if not path.exists():
        pytest.skip("ego-facebook-snap is not in the shared data")
    nbrs: dict[str, set[str]] = defaultdict(set)
    with tarfile.open(path) as tar:
        for member in tar.getmembers():
            name = Path(member.name).name
            ego, _, ext = name.partition(".")
            handle = tar.extractfile(member) if member.isfile() else None
            if handle is None or ext not in ("edges", "feat"):
                continue
            for line in handle.read().decode().splitlines():
                parts = line.split()
                if not parts:
                    continue
                a, b = (parts[0], parts[1]) if ext == "edges" else (ego, parts[0])
                nbrs[a].add(b)
                nbrs[b].add(a)
    return nbrs


def test_graph_is_the_published_one(shared_data: Path) -> None:
    nbrs = _ego_facebook(shared_data)
    assert len(nbrs) == 4039
    assert sum(len(s) for s in nbrs.values()) // 2 == 88234


def test_minhash_jaccard_error_within_the_documented_bound(shared_data: Path) -> None:
    nbrs = _ego_facebook(shared_data)
    top = sorted(nbrs, key=lambda n: (-len(nbrs[n]), n))[:40]
    sketches = {n: overlap.sketch_of_set(nbrs[n], num_perm=NUM_PERM) for n in top}
    errors, z = [], []
    for a, b in itertools.combinations(top, 2):
        exact = len(nbrs[a] & nbrs[b]) / len(nbrs[a] | nbrs[b])
        est = float(sketches[a].jaccard(sketches[b]))
        se = overlap.jaccard_standard_error(exact, NUM_PERM)
        errors.append(abs(est - exact))
        # Hard bound for every pair: 4 standard errors (+ one signature slot for hash collisions).
        assert abs(est - exact) <= 4 * se + 1 / NUM_PERM, (a, b, exact, est)
        if exact >= 0.05:  # below, one signature slot (1/256) is already several SE: discreteness dominates
            z.append((est - exact) / se)
    zs = np.array(z)
    # Calibration: about 95 % within 2 SE, and the variance of the standardised error near 1.
    assert np.mean(np.abs(zs) <= 2) >= 0.9
    assert 0.6 <= float(np.mean(zs**2)) <= 1.5
    # The documented worst-case standard error for 256 permutations.
    assert float(np.mean(errors)) <= 0.031


def test_sketched_coverage_tracks_exact_on_real_data(shared_data: Path) -> None:
    nbrs = _ego_facebook(shared_data)
    ours = nbrs["0"]
    cands = {n: nbrs[n] for n in sorted(nbrs, key=lambda n: (-len(nbrs[n]), n))[1:21]}
    exact = coverage.greedy_max_coverage(cands, 3, covered=ours)
    sk = {c: overlap.sketch_of_set(s, num_perm=NUM_PERM) for c, s in cands.items()}
    approx = coverage.greedy_coverage_sketches(sk, 3, covered=overlap.sketch_of_set(ours, num_perm=NUM_PERM))
    # Value of the sketched choice, measured exactly, is within 10 % of the exact greedy choice.
    reached = set().union(*(cands[c] for c in approx.chosen)) - ours
    assert len(reached) >= 0.9 * exact.new_reach


def test_workspace_minhash_path_on_ego_facebook(shared_data: Path, tmp_path: Path) -> None:
    """The product path (DuckDB hashes → de-dup → datasketch signatures) against exact DuckDB set arithmetic."""
    from signalboost.store.workspace import Workspace

    from .conftest import add_follows

    nbrs = _ego_facebook(shared_data)
    ws = Workspace.open(tmp_path / "ws", create=True)
    add_follows(ws, [(b, a) for a, members in nbrs.items() for b in members])  # friendship = follows both ways
    cands = [n for n in sorted(nbrs, key=lambda n: (-len(nbrs[n]), n)) if n != "0"][:20]
    exact = overlap.audience_overlap(ws, cands, platform="x", brand=["0"], method="exact")
    sketched = overlap.audience_overlap(ws, cands, platform="x", brand=["0"], method="minhash", num_perm=NUM_PERM)
    for e, s in zip(exact, sketched, strict=True):
        assert (e.account_id, e.audience, e.our_audience) == (s.account_id, s.audience, s.our_audience)
        # Hand check of the exact path on one candidate, from the raw neighbour sets.
        a, b = nbrs[e.account_id] - {"0"}, nbrs["0"]
        assert (e.audience, e.shared) == (len(a), len(a & b))
        j = e.jaccard or 0.0
        assert abs((s.jaccard or 0.0) - j) <= 4 * overlap.jaccard_standard_error(j, NUM_PERM) + 1 / NUM_PERM
