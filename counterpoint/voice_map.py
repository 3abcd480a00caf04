"""Where each voice stands on the map of voices: classical multidimensional scaling of agreement counts.

Pure data, no drawing (counterpoint/render/svg_maps.py draws it). For two voices,
the distance is the share of the questions both address on which their stances
contradict, a compatible pair of stances counting half, with one make-believe
half-way question added to every pair: a pair that shares one question is not
placed with the confidence of a pair that shares ten, and a pair that shares none
sits at the middle distance, 0.5. Classical (Torgerson) scaling then finds the two
directions that keep most of these distances, and each voice is placed on them.

Deterministic to the byte: plain Python floats (IEEE 754, the same operations in
the same order on every machine, where a linear-algebra library may change its
summation order with its build or the number of threads), a fixed start vector,
a fixed number of iterations at most, each axis's sign fixed by a rule, voices
in the matrix's order throughout. That is why the eigenvectors are found by a
small power iteration written here rather than by numpy: the map holds at most
`Limits.map_voices` voices (40 by default), so a few hundred products of a 40 × 40 matrix cost
milliseconds, and no dependency is added.

Agreement is read through `pair_counts` only, so that a change in how the
matrix counts agreement changes one function here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from operator import mul

from .matrix import Matrix
from .model import Voice
from .settings import Limits

MIN_ADDRESSED = 3
"""A voice is placed only if it takes a stance on at least this many questions; the others are listed."""
JOIN_SHARE = 1 / 3
"""Two voices are joined when they take the same stance, or contradicting ones, on at least this share
of the questions (rounded up, and at least 2)."""
JOIN_LIMIT_PER_VOICE = 2
"""At most this many joins per placed voice on average: beyond, the threshold rises until they fit."""
ITERATIONS = 2000
TOLERANCE = 1e-11


class JoinKind(Enum):
    AGREE = "agree"
    OPPOSE = "oppose"


@dataclass(frozen=True)
class PairCount:
    """Two voices on the questions both address."""

    agree: int
    """Questions on which they share a stance."""
    oppose: int
    """Questions on which they hold contradicting stances."""
    shared: int
    """Questions both address (agree + oppose + those on which their stances are compatible)."""

    @property
    def distance(self) -> float:
        """In [0, 1]: 0 for the same stance on every question both address, 1 for contradicting ones."""
        neither = self.shared - self.agree - self.oppose
        return (self.oppose + 0.5 * neither + 0.5) / (self.shared + 1)


def pair_counts(matrix: Matrix, a: str, b: str) -> PairCount:
    """The one place the map reads agreement between two voices from the matrix."""
    agreement = matrix.agreement(a, b)
    # Under the stance model of issue 12 only contradicting stances oppose; until the matrix says which
    # (as `opposed`), every pair of different stances counts as contradicting, as the matrix counts them today.
    opposed = getattr(agreement, "opposed", None)
    oppose = len(opposed) if opposed is not None else len(agreement.different)
    return PairCount(agreement.agree, oppose, agreement.shared)


@dataclass(frozen=True)
class PlacedVoice:
    voice: Voice
    x: float
    y: float
    """Coordinates on the two axes, in distance units (the map is centred on 0, 0)."""
    addressed: int


@dataclass(frozen=True)
class Join:
    a: str
    b: str
    kind: JoinKind
    count: int
    """On how many questions the two agree (or oppose)."""


@dataclass(frozen=True)
class VoiceMap:
    placed: tuple[PlacedVoice, ...]
    """In the matrix's order."""
    unplaced: tuple[tuple[Voice, int], ...]
    """Voices addressing fewer than MIN_ADDRESSED questions, with how many they address, in the matrix's order."""
    left_out: int
    """Voices that address enough questions but are not among the `limit` placed."""
    joins: tuple[Join, ...]
    join_at: int
    """Two voices are joined when they agree (or oppose) on at least this many questions."""
    questions: int
    shown_share: float
    """How much of the spread of the distances the two axes keep (0 to 1)."""
    min_addressed: int = MIN_ADDRESSED
    limit: int = Limits.map_voices


def build_voice_map(matrix: Matrix, limit: int = Limits.map_voices) -> VoiceMap:
    """The map of the voices, placing at most `limit` of them."""
    voices = matrix.voices
    addressed = {v.id: matrix.addressed_count(v.id) for v in voices}
    eligible = [v for v in voices if addressed[v.id] >= MIN_ADDRESSED]
    unplaced = tuple((v, addressed[v.id]) for v in voices if addressed[v.id] < MIN_ADDRESSED)
    position = {v.id: i for i, v in enumerate(voices)}
    chosen = sorted(eligible, key=lambda v: (-addressed[v.id], position[v.id]))[:limit]
    chosen.sort(key=lambda v: position[v.id])
    n = len(chosen)
    counts = {(i, j): pair_counts(matrix, chosen[i].id, chosen[j].id) for i in range(n) for j in range(i + 1, n)}
    squared = [[0.0] * n for _ in range(n)]
    for (i, j), count in counts.items():
        squared[i][j] = squared[j][i] = count.distance**2
    (xs, ys), share = classical_scaling(squared)
    placed = tuple(PlacedVoice(v, xs[i], ys[i], addressed[v.id]) for i, v in enumerate(chosen))
    joins, join_at = _joins(chosen, counts, len(matrix.questions))
    return VoiceMap(
        placed,
        unplaced,
        len(eligible) - n,
        joins,
        join_at,
        len(matrix.questions),
        share,
        MIN_ADDRESSED,
        limit,
    )


def _joins(
    chosen: list[Voice], counts: dict[tuple[int, int], PairCount], questions: int
) -> tuple[tuple[Join, ...], int]:
    threshold = max(2, math.ceil(questions * JOIN_SHARE))
    limit = max(JOIN_LIMIT_PER_VOICE * len(chosen), 1)

    def at(level: int) -> list[Join]:
        found = []
        for (i, j), count in counts.items():
            if count.agree >= level:
                found.append(Join(chosen[i].id, chosen[j].id, JoinKind.AGREE, count.agree))
            if count.oppose >= level:
                found.append(Join(chosen[i].id, chosen[j].id, JoinKind.OPPOSE, count.oppose))
        return found

    joins = at(threshold)
    while len(joins) > limit and threshold < questions:
        threshold += 1
        joins = at(threshold)
    return tuple(joins), threshold


# -- classical scaling ------------------------------------------------------------------


def classical_scaling(squared: list[list[float]]) -> tuple[tuple[list[float], list[float]], float]:
    """Two coordinates per point from squared distances (Torgerson), and the share of the spread they keep.

    B = -½ J D² J (J centres); its two largest eigenvectors, scaled by the square roots of their
    eigenvalues, are the coordinates. An axis with no positive eigenvalue is all zeros.
    """
    n = len(squared)
    if n == 0:
        return ([], []), 0.0
    rows = [sum(row) / n for row in squared]
    total = sum(rows) / n
    b = [[-0.5 * (squared[i][j] - rows[i] - rows[j] + total) for j in range(n)] for i in range(n)]
    trace = sum(b[i][i] for i in range(n))
    axes: list[list[float]] = []
    values: list[float] = []
    for _ in range(2):
        # Power iteration finds the eigenvalue largest in size. Where that one is negative (the distances
        # are not quite Euclidean), shifting by its size makes the largest eigenvalue the largest in size.
        vector, value = _top_eigenvector(b, 0.0, axes)
        if value < 0:
            vector, value = _top_eigenvector(b, -value, axes)
        if value <= 1e-12:
            axes.append([0.0] * n)
            values.append(0.0)
            continue
        axes.append(vector)
        values.append(value)
    coordinates = [
        [component * math.sqrt(value) for component in axis] for axis, value in zip(axes, values, strict=True)
    ]
    share = min(sum(values) / trace, 1.0) if trace > 1e-12 else 0.0
    return (coordinates[0], coordinates[1]), share


def _top_eigenvector(b: list[list[float]], shift: float, found: list[list[float]]) -> tuple[list[float], float]:
    """The eigenvector of B + shift·I with the largest eigenvalue, orthogonal to those `found`."""
    n = len(b)
    # A fixed start with no symmetry (centred, as every eigenvector that matters is).
    vector = [math.sin(1.0 + 2.399963 * i) for i in range(n)]
    vector = _normalised(_orthogonal(_centred(vector), found))
    for _ in range(ITERATIONS):
        # sum(map(mul, …)): the same products added in the same order as a generator, a third of the time.
        product = _orthogonal([sum(map(mul, row, vector)) + shift * v for row, v in zip(b, vector, strict=True)], found)
        size = math.sqrt(sum(p * p for p in product))
        if size < 1e-300:
            return [0.0] * n, 0.0
        product = [p / size for p in product]
        # The sign may alternate from step to step (a negative eigenvalue): compare up to sign.
        change = min(
            max(abs(p - v) for p, v in zip(product, vector, strict=True)),
            max(abs(p + v) for p, v in zip(product, vector, strict=True)),
        )
        vector = product
        if change <= TOLERANCE:
            break
    product = [sum(map(mul, row, vector)) for row in b]
    value = sum(p * v for p, v in zip(product, vector, strict=True))
    return _signed(vector), value


def _centred(vector: list[float]) -> list[float]:
    mean = sum(vector) / len(vector)
    return [v - mean for v in vector]


def _orthogonal(vector: list[float], found: list[list[float]]) -> list[float]:
    for axis in found:
        dot = sum(v * a for v, a in zip(vector, axis, strict=True))
        vector = [v - dot * a for v, a in zip(vector, axis, strict=True)]
    return vector


def _normalised(vector: list[float]) -> list[float]:
    size = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / size for v in vector]


def _signed(vector: list[float]) -> list[float]:
    """The eigenvector with its sign fixed: the point furthest along it (the first such, in order) is positive.

    An eigenvector's sign is arbitrary; fixing it keeps the same corpus's map the same way up.
    Which side a voice lands on carries no meaning.
    """
    if not vector:
        return vector
    furthest = max(abs(v) for v in vector)
    first = next(v for v in vector if abs(v) >= furthest * (1 - 1e-9))
    return [-v for v in vector] if first < 0 else vector


__all__ = ["JoinKind", "PairCount", "VoiceMap", "build_voice_map", "classical_scaling", "pair_counts"]
