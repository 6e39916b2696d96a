"""The admin of local democracy: spaces, proposals and their debate.

Ballots are secret even here: votes have no admin page and a proposal shows only how many were
cast. A residence shows its commune and verification, never its point.
"""

from django.contrib import admin
from django.db.models import Count

from geo_civic.participation.models import Amendment, Comment, Proposal, Residence, Space


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["title", "eligibility", "commune", "epci", "departement", "actor"]
    list_filter = ["eligibility"]
    search_fields = ["title"]
    raw_id_fields = ["commune", "actor", "created_by"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "space", "status", "method", "ballots", "closes_at"]
    list_filter = ["status", "method"]
    search_fields = ["title"]
    readonly_fields = ["ballots", "status", "created_at"]
    exclude = ["location"]
    raw_id_fields = ["space", "author"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(ballot_count=Count("votes"))

    @admin.display(description="ballots cast", ordering="ballot_count")
    def ballots(self, proposal: Proposal) -> int:
        return proposal.ballot_count if hasattr(proposal, "ballot_count") else 0


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "author", "created_at", "hidden_reason"]
    raw_id_fields = ["proposal", "parent", "author"]


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "author", "state", "created_at"]
    raw_id_fields = ["proposal", "author", "base_version"]


@admin.register(Residence)
class ResidenceAdmin(admin.ModelAdmin):
    list_display = ["user", "commune", "verified"]
    list_filter = ["verified"]
    fields = ["user", "commune", "verified", "verified_by", "verified_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False  # a residence is said by its resident, never typed for them
