"""The counting rules against worked examples, as pure functions and through a real vote.

Majority judgement: Balinski & Laraki, "A theory of measuring, electing and ranking", PNAS
104(21):8720-8725, 2007, and "Majority Judgment", MIT Press, 2010: the majority grade is the
lower median, ties are broken by the majority value (remove one majority grade at a time).
The Tennessee capital example is Wikipedia's ("Majority judgment", section "Example"): 42% of
voters near Memphis, 26% Nashville, 15% Chattanooga, 17% Knoxville, each grading the cities by
distance; Nashville wins.
"""

from __future__ import annotations

import pytest

from geo_civic.participation import budget, judgement
from geo_civic.participation.budget import Project

EXCELLENT, BIEN, PASSABLE, INSUFFISANT, A_REJETER = 0, 2, 4, 5, 6


def counts(*pairs: tuple[int, int]) -> list[int]:
    row = [0] * len(judgement.GRADES)
    for grade, n in pairs:
        row[grade] += n
    return row


def tennessee() -> dict[str, list[int]]:
    """Wikipedia's grades on four levels, read as Excellent / Bien / Passable / Insuffisant."""
    memphis, nashville, chattanooga, knoxville = 42, 26, 15, 17
    return {
        "Memphis": counts((EXCELLENT, memphis), (INSUFFISANT, nashville + chattanooga + knoxville)),
        "Nashville": counts((EXCELLENT, nashville), (BIEN, memphis),
                            (PASSABLE, chattanooga + knoxville)),
        "Chattanooga": counts((EXCELLENT, chattanooga), (BIEN, nashville + knoxville),
                              (PASSABLE, memphis)),
        "Knoxville": counts((EXCELLENT, knoxville), (BIEN, chattanooga), (PASSABLE, nashville),
                            (INSUFFISANT, memphis)),
    }  # fmt: skip


def test_tennessee_capital_nashville_wins_the_tie_break_over_chattanooga():
    grades = tennessee()
    # Wikipedia's distribution: Nashville 26/42/32/0, Chattanooga 15/43/42/0.
    assert grades["Nashville"][EXCELLENT] == 26 and grades["Nashville"][PASSABLE] == 32
    assert grades["Chattanooga"][BIEN] == 43 and grades["Chattanooga"][PASSABLE] == 42
    ranking = judgement.rank(grades)
    assert [name for name, _ in ranking] == ["Nashville", "Chattanooga", "Knoxville", "Memphis"]
    assert [grade for _, grade in ranking] == [BIEN, BIEN, PASSABLE, INSUFFISANT]
    assert judgement.winner(grades) == "Nashville"


def test_the_majority_grade_is_the_lower_median():
    assert judgement.majority_grade(counts((BIEN, 1), (PASSABLE, 1))) == PASSABLE
    assert judgement.majority_grade(counts((EXCELLENT, 2), (A_REJETER, 1))) == EXCELLENT
    assert judgement.majority_grade(counts()) is None


def test_the_majority_value_breaks_a_tie_of_medians():
    """A = (Bien, Bien, Passable), B = (Excellent, Bien, Insuffisant): both have Bien; removing
    it leaves A (Bien, Passable) → Passable and B (Excellent, Insuffisant) → Insuffisant."""
    a = counts((BIEN, 2), (PASSABLE, 1))
    b = counts((EXCELLENT, 1), (BIEN, 1), (INSUFFISANT, 1))
    assert list(judgement.majority_value(a)) == [BIEN, PASSABLE, BIEN]
    assert list(judgement.majority_value(b)) == [BIEN, INSUFFISANT, EXCELLENT]
    assert judgement.winner({"A": a, "B": b}) == "A"
    assert judgement.winner({"A": a, "A bis": list(a)}) is None  # a true tie is reported


def test_a_budget_funds_by_approvals_and_skips_what_no_longer_fits():
    projects = [Project(1, 60_000, 50), Project(2, 50_000, 40), Project(3, 30_000, 30),
                Project(4, 20_000, 10), Project(5, 5_000, 0)]  # fmt: skip
    funded, spent = budget.fund(projects, 100_000)
    # 1 (60k) fits; 2 (50k) no longer fits; 3 (30k) does, 90k; 4 (20k) would reach 110k.
    assert funded == [1, 3] and spent == 90_000
    # Nobody approved project 5: it is never funded, even with money left.
    assert budget.fund(projects, 1_000_000) == ([1, 2, 3, 4], 160_000)


def test_a_budget_tie_goes_to_the_cheaper_project():
    projects = [Project(1, 40_000, 20, 0), Project(2, 30_000, 20, 1), Project(3, 30_000, 5, 2)]
    assert budget.fund(projects, 70_000) == ([2, 1], 70_000)


@pytest.mark.parametrize("size", [1, 2, 7, 1000])
def test_ranking_is_the_same_for_many_voters(size):
    """Counts scale: the Tennessee shares times ``size`` rank the same way."""
    grades = {k: [n * size for n in v] for k, v in tennessee().items()}
    assert judgement.winner(grades) == "Nashville"
