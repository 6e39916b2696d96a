"""Read-side models: views over the domain's tables that a layer lists.

``CommuneResult`` is a row of a closed proposal's results per commune of residence, read from the
tallies the resolution froze at the close (``participation.results``), so nothing is ever
recounted and the k-anonymity decided there ("too few votes") is the only breakdown published.
It is a database view (``layers/migrations/0003_commune_results_view.py``), never written.
"""

from __future__ import annotations

from django.contrib.gis.db import models

from geo_civic.participation.models import Proposal, Space
from geo_civic.territories.models import Commune

# A row's id: the proposal's times this, plus the commune's (stable, unique, fits a bigint).
ID_FACTOR = 100_000_000


class CommuneResult(models.Model):
    id = models.BigIntegerField(primary_key=True)
    proposal = models.ForeignKey(Proposal, on_delete=models.DO_NOTHING, related_name="+")
    space = models.ForeignKey(Space, on_delete=models.DO_NOTHING, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.DO_NOTHING, related_name="+")
    proposal_title = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    outcome = models.CharField(max_length=20)  # the proposal's, over the whole territory
    closed_at = models.DateTimeField()
    # "adopted"/"rejected" in this commune (for/against/blank votes), "too_few_votes", or null
    # (other methods: only the number of voters is broken down).
    commune_outcome = models.CharField(max_length=20, null=True)
    too_few_votes = models.BooleanField()
    voters = models.IntegerField(null=True)
    votes_for = models.IntegerField(null=True)
    votes_against = models.IntegerField(null=True)
    votes_blank = models.IntegerField(null=True)
    for_share = models.FloatField(null=True)  # for / (for + against)
    participation = models.FloatField(null=True)  # voters / population

    class Meta:
        managed = False
        db_table = "layers_communeresult"
        ordering = ["proposal_id", "commune_id"]
