"""Participatory budget by approval: voters approve any number of projects; projects are funded
in order of approvals until the envelope is spent, a project that no longer fits is skipped and
the next ones are still considered (the "greedy" rule of most city budgets, e.g. Paris).

Equal approvals: the cheaper project first, then the one listed first.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Project:
    id: int
    cost: int
    approvals: int
    position: int = 0


def fund(projects: list[Project], envelope: int) -> tuple[list[int], int]:
    """The funded project ids in funding order, and the amount spent."""
    funded, spent = [], 0
    for project in sorted(projects, key=lambda p: (-p.approvals, p.cost, p.position)):
        if project.approvals > 0 and spent + project.cost <= envelope:
            funded.append(project.id)
            spent += project.cost
    return funded, spent
