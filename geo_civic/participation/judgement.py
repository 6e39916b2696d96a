"""Majority judgement (Balinski & Laraki, "A theory of measuring, electing and ranking", PNAS
104(21), 2007; "Majority Judgment", MIT Press, 2010).

Every voter grades every option; an option's majority grade is its lower median grade, and ties
are broken by its *majority value*: the sequence of majority grades obtained by removing one
instance of the majority grade at a time, compared lexicographically. An option left ungraded
by a voter counts as "À rejeter". Computed from the counts per grade, so it costs the same for
ten voters or two hundred thousand.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence

# Best first: index 0 is the best grade.
GRADES = ("excellent", "tres_bien", "bien", "assez_bien", "passable", "insuffisant", "a_rejeter")
GRADE_LABELS = ("Excellent", "Très bien", "Bien", "Assez bien", "Passable", "Insuffisant",
                "À rejeter")  # fmt: skip
WORST = len(GRADES) - 1


def majority_grade(counts: Sequence[int]) -> int | None:
    """The lower median of the grades counted in ``counts`` (index per grade, best first)."""
    total = sum(counts)
    if total == 0:
        return None
    # The lower middlemost grade: the (total // 2 + 1)-th best grade.
    rank = total // 2 + 1
    seen = 0
    for grade, count in enumerate(counts):
        seen += count
        if seen >= rank:
            return grade
    raise AssertionError("unreachable")


def majority_value(counts: Sequence[int]) -> Iterator[int]:
    """Majority grades, removing one instance of each in turn."""
    left = list(counts)
    while True:
        grade = majority_grade(left)
        if grade is None:
            return
        yield grade
        left[grade] -= 1


def compare(a: Sequence[int], b: Sequence[int]) -> int:
    """Negative when ``a`` ranks before ``b`` (better), positive after, 0 for a tie."""
    if list(a) == list(b):
        return 0
    for grade_a, grade_b in zip(majority_value(a), majority_value(b), strict=False):
        if grade_a != grade_b:
            return grade_a - grade_b  # a lower index is a better grade
    return 0


def rank(counts_by_option: Mapping[int, Sequence[int]]) -> list[tuple[int, int | None]]:
    """Options best first as (option, majority grade); equal options keep their given order."""
    options = list(counts_by_option)
    ordered = sorted(
        options,
        key=functools.cmp_to_key(lambda x, y: compare(counts_by_option[x], counts_by_option[y])),
    )
    return [(option, majority_grade(counts_by_option[option])) for option in ordered]


def winner(counts_by_option: Mapping[int, Sequence[int]]) -> int | None:
    """The best option, or None for no ballots or a tie at the top (same grades counted)."""
    ranking = rank(counts_by_option)
    if not ranking or ranking[0][1] is None:
        return None
    if len(ranking) > 1 and compare(
        counts_by_option[ranking[0][0]], counts_by_option[ranking[1][0]]
    ) == 0:
        return None
    return ranking[0][0]
