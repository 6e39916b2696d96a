"""Results: only aggregates, and no breakdown that could reveal a ballot.

While the vote is open only the number of voters and the participation are public (a live tally
would let anyone watching a known voter's moment infer their choice). At the close the tallies
are computed once and frozen in the resolution. For a space above one commune they are also
given per commune of residence; a commune with fewer than :data:`MIN_VOTERS` voters is shown as
"too few votes", and when the voters so hidden (with those living outside the territory) number
from 1 to 4, the smallest commune shown is hidden too, or the total minus the communes shown
would give them away.
"""

from __future__ import annotations

from django.db import connection

from geo_civic.actors.membership import member_count
from geo_civic.participation import budget, judgement
from geo_civic.participation.errors import WrongState
from geo_civic.participation.models import Method, Proposal, Status
from geo_civic.participation.territory import communes_of, population_of, spans_several_communes

MIN_VOTERS = 5

# Grouped in the order of the index vote_tally (proposal, commune, choice), which it reads alone
# (an index-only scan): one count per group, a third faster than three FILTERed counts per
# commune at 200,000 ballots (bench/participation.py).
MAJORITY_SQL = """
SELECT commune_id, choice, count(*)
FROM participation_vote WHERE proposal_id = %s GROUP BY commune_id, choice
"""
GRADES_SQL = """
SELECT g.key::bigint, g.value::int, count(*)
FROM participation_vote v, jsonb_each_text(v.grades) g
WHERE v.proposal_id = %s GROUP BY 1, 2
"""
APPROVALS_SQL = """
SELECT a, count(*) FROM participation_vote v, unnest(v.approvals) a
WHERE v.proposal_id = %s GROUP BY a
"""


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def base_of(proposal: Proposal) -> int | None:
    """Who could vote, for participation and quorum: the population, or the actor's members."""
    space = proposal.space
    if space.actor_id:
        return member_count(space.actor)
    return population_of(space)


def share(part: int, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole else None


def voters_of(proposal: Proposal) -> int:
    return proposal.votes.count()


def open_results(proposal: Proposal) -> dict:
    """What anyone may see of a proposal's vote now."""
    if proposal.status in (Status.CLOSED, Status.ARCHIVED) and hasattr(proposal, "resolution"):
        return {"status": proposal.status, "outcome": proposal.resolution.outcome,
                **proposal.resolution.results}  # fmt: skip
    if proposal.status != Status.VOTING:
        raise WrongState(f"no results: the proposal is {proposal.status}")
    voters = voters_of(proposal)
    return {"status": proposal.status, "voters": voters,
            "participation": share(voters, base_of(proposal))}  # fmt: skip


def _by_commune(proposal: Proposal, per_commune: dict[int | None, dict]) -> list[dict]:
    """Per commune of the territory, with small groups hidden (see the module docstring)."""
    communes = list(communes_of(proposal.space).values("pk", "code", "name", "population"))
    inside = {c["pk"] for c in communes}
    shown = {
        c["pk"] for c in communes if per_commune.get(c["pk"], {}).get("voters", 0) >= MIN_VOTERS
    }
    hidden = sum(
        row["voters"] for pk, row in per_commune.items() if pk not in shown or pk not in inside
    )
    if 0 < hidden < MIN_VOTERS and shown:
        smallest = min(shown, key=lambda pk: (per_commune[pk]["voters"], pk))
        shown.discard(smallest)
    rows = []
    for commune in communes:
        row = {"code": commune["code"], "name": commune["name"]}
        if commune["pk"] in shown:
            tally = per_commune[commune["pk"]]
            row.update(tally)
            row["participation"] = share(tally["voters"], commune["population"])
        else:
            row["too_few_votes"] = True
        rows.append(row)
    return rows


def _majority(proposal: Proposal, base: int | None) -> tuple[str, dict]:
    per_commune: dict[int | None, dict] = {}
    for commune, choice, n in _rows(MAJORITY_SQL, [proposal.pk]):
        tally = per_commune.setdefault(commune, {"voters": 0, "for": 0, "against": 0, "blank": 0})
        tally["voters"] += n
        if choice in tally and choice != "voters":
            tally[choice] += n
    total = {key: sum(row[key] for row in per_commune.values())
             for key in ("voters", "for", "against", "blank")}  # fmt: skip
    decided = total["for"] + total["against"]
    adopted = (
        total["for"] > total["against"]
        and total["for"] * 100 >= proposal.threshold * decided
    )
    results = {**total, "threshold": proposal.threshold,
               "for_share": share(total["for"], decided)}  # fmt: skip
    results["by_commune"] = (
        _by_commune(proposal, per_commune) if spans_several_communes(proposal.space) else []
    )
    return ("adopted" if adopted else "rejected"), results


def _voters_by_commune(proposal: Proposal) -> dict[int | None, dict]:
    return {
        commune: {"voters": n}
        for commune, n in _rows(
            "SELECT commune_id, count(*) FROM participation_vote WHERE proposal_id = %s "
            "GROUP BY commune_id",
            [proposal.pk],
        )
    }


def _judgement(proposal: Proposal, voters: int) -> tuple[str, dict]:
    options = list(proposal.options.all())
    counts = {o.pk: [0] * len(judgement.GRADES) for o in options}
    for option, grade, n in _rows(GRADES_SQL, [proposal.pk]):
        if option in counts:
            counts[option][grade] += n
    for row in counts.values():  # an option a voter left ungraded is "À rejeter"
        row[judgement.WORST] += voters - sum(row)
    labels = {o.pk: o.label for o in options}
    ranking = [
        {"id": option, "label": labels[option],
         "grade": judgement.GRADES[grade] if grade is not None else None,
         "grades": dict(zip(judgement.GRADES, counts[option], strict=True))}
        for option, grade in judgement.rank(counts)
    ]  # fmt: skip
    winner = judgement.winner(counts) if voters else None
    return ("chosen" if winner else "tie"), {"ranking": ranking, "winner": winner}


def _approval(proposal: Proposal) -> tuple[str, dict]:
    approvals = dict(_rows(APPROVALS_SQL, [proposal.pk]))
    options = list(proposal.options.all())
    projects = [budget.Project(o.pk, o.cost or 0, approvals.get(o.pk, 0), o.position)
                for o in options]  # fmt: skip
    funded, spent = budget.fund(projects, proposal.budget or 0)
    rows = [{"id": o.pk, "label": o.label, "cost": o.cost, "approvals": approvals.get(o.pk, 0),
             "funded": o.pk in funded} for o in options]  # fmt: skip
    rows.sort(key=lambda r: (-r["approvals"], r["cost"], r["id"]))
    return "funded", {"budget": proposal.budget, "spent": spent, "funded": funded,
                      "projects": rows}  # fmt: skip


def final_results(proposal: Proposal) -> tuple[str, dict]:
    """The outcome and tallies at the close (frozen by the resolution)."""
    base = base_of(proposal)
    if proposal.method == Method.MAJORITY:
        outcome, results = _majority(proposal, base)
        voters = results["voters"]
    else:
        voters = voters_of(proposal)
        if proposal.method == Method.JUDGEMENT:
            outcome, results = _judgement(proposal, voters)
        else:
            outcome, results = _approval(proposal)
        results["voters"] = voters
        results["by_commune"] = (
            _by_commune(proposal, _voters_by_commune(proposal))
            if spans_several_communes(proposal.space)
            else []
        )
    results["method"] = proposal.method
    results["participation"] = share(voters, base)
    results["quorum"] = proposal.quorum
    if proposal.quorum is not None and (base is None or voters * 100 < proposal.quorum * base):
        outcome = "no_quorum"
    return outcome, results
