"""The example consultation of ``make demo``: Saint-Paul (97415) with fictitious residents.

Everything it creates is labelled as an example (titles start with "Exemple", the residents'
accounts are named ``exemple-…`` and cannot log in), so nobody mistakes it for a real decision.
Made through the same services as the API; a second run changes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from geo_civic.participation import debate, lifecycle, proposals, residence, voting
from geo_civic.participation.models import Residence, Space
from geo_civic.territories.models import Commune

TITLE = "Exemple — Saint-Paul décide (consultation fictive)"
RESIDENTS = 24


def _resident(index: int, point) -> object:
    user, _ = get_user_model().objects.get_or_create(username=f"exemple-habitant-{index:02d}")
    user.set_unusable_password()
    user.save()
    residence.set_residence(user, point)
    Residence.objects.filter(user=user).update(verified=True)
    return user


@transaction.atomic
def load_example_consultation() -> str | None:
    """Create the example once; returns a one-line summary, or None when already there or when
    Saint-Paul is not loaded."""
    saint_paul = Commune.objects.filter(code="97415", valid_to__isnull=True).first()
    if saint_paul is None or Space.objects.filter(title=TITLE).exists():
        return None
    people = [_resident(i, saint_paul.boundary.point_on_surface) for i in range(RESIDENTS)]
    moderator, _ = get_user_model().objects.get_or_create(username="exemple-moderatrice",
                                                          is_superuser=True)  # fmt: skip
    moderator.set_unusable_password()
    moderator.save()
    space = proposals.create_space(moderator, Space(
        commune=saint_paul, title=TITLE, eligibility="residents",
        description="Exemple de démonstration : les habitants et leurs votes sont fictifs.",
    ))  # fmt: skip
    where = saint_paul.boundary.point_on_surface

    garden = proposals.create_proposal(people[0], space, {
        "title": "Exemple : un jardin partagé près de l'étang",
        "body": "Transformer la friche en **jardin partagé** ouvert à tous.",
        "method": "majority", "threshold": 50, "category": "environnement",
    }, where)  # fmt: skip
    garden = lifecycle.apply(garden.pk, "debate", by=moderator)
    debate.comment(people[1], garden, "Bonne idée, avec un composteur ?")
    amendment = debate.amend(people[1], garden, garden.body + "\n\nAvec un composteur collectif.")
    for voter in people[:6]:
        debate.vote_amendment(voter, amendment, "for")
    garden = lifecycle.apply(garden.pk, "voting", by=moderator)
    for i, voter in enumerate(people):
        voting.cast(voter, garden, {"choice": ("for", "for", "against", "blank")[i % 4]})
    lifecycle.apply(garden.pk, "closed", by=moderator)

    budget = proposals.create_proposal(people[2], space, {
        "title": "Exemple : budget participatif des quartiers", "body": "Choisissez vos projets.",
        "method": "approval", "budget": 100_000,
        "options": [{"label": "Skatepark", "cost": 60_000}, {"label": "Kiosque", "cost": 50_000},
                    {"label": "Bancs ombragés", "cost": 30_000}],
    }, None)  # fmt: skip
    budget = lifecycle.apply(budget.pk, "voting", by=moderator)
    option_ids = list(budget.options.values_list("pk", flat=True))
    for i, voter in enumerate(people[:15]):
        voting.cast(voter, budget, {"approve": option_ids[: 1 + i % 3]})

    library = proposals.create_proposal(people[3], space, {
        "title": "Exemple : le nom de la future médiathèque", "body": "Notez chaque nom.",
        "method": "judgement", "options": ["Leconte de Lisle", "Océan Indien", "Les Laves"],
    }, None)  # fmt: skip
    lifecycle.apply(library.pk, "debate", by=moderator)
    return f"example consultation in Saint-Paul: {space.proposals.count()} proposals (fictitious)"
