"""The scatter method packs members block by block: blocks must not change any count."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc.aggregate import Groups, group_counts, kernels


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 300), st.integers(1, 40), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_blocks_give_the_same_counts(n: int, n_groups: int, n_masks: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    groups = Groups.from_codes(rng.integers(0, n_groups, n), n_groups)
    masks = [rng.random(n) < 0.5 for _ in range(n_masks)]
    expected = group_counts(groups, masks, method="bincount")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernels, "_SCATTER_BLOCK", 7)
        blocked = group_counts(groups, masks, method="scatter")
    assert blocked.tolist() == expected.tolist()
