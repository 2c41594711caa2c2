"""Seeded random picks: weighted choices, Zipf-like word frequencies, durations."""

from __future__ import annotations

import bisect
import random
from collections.abc import Mapping, Sequence
from typing import Generic, TypeVar

from benchmarks.dataset.config import MINUTE
from benchmarks.dataset.words import SYLLABLES

T = TypeVar("T")


class Weighted(Generic[T]):
    """A weighted choice through a cumulative table (one bisect per pick)."""

    def __init__(self, weights: Mapping[T, float] | Sequence[tuple[T, float]]) -> None:
        pairs = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
        self.items = [item for item, _ in pairs]
        self.cumulative: list[float] = []
        total = 0.0
        for _, weight in pairs:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]


FINDINGS = Weighted({"proper": 6, "improper": 1, "policy_gap": 1, "needs_training": 1})


def zipf(items: Sequence[T], exponent: float = 1.07) -> Weighted[T]:
    """A few items are common, most are rare: full-text search gets both kinds of word."""
    return Weighted([(item, 1 / (rank + 1) ** exponent) for rank, item in enumerate(items)])


def _codewords(rng: random.Random, count: int) -> list[str]:
    words = {
        "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3)))) for _ in range(count)
    }
    ordered = sorted(words)
    rng.shuffle(ordered)
    return ordered


def rng_minutes(rng: random.Random, low: float, high: float) -> int:
    """A random duration between ``low`` and ``high`` minutes, in microseconds."""
    return int((low + (high - low) * rng.random()) * MINUTE)
