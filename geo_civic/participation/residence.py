"""Where a resident lives: set from a point or a geocoded address, verified by a moderator.

The point is private forever; only the commune PostGIS finds for it is used. Moving to another
commune clears the verification (the database trigger does it) and withdraws the ballots of
votes still open in spaces where the person is no longer eligible.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from geo_civic.contributions.permissions import is_moderator
from geo_civic.geocoding.chain import GeocoderChain
from geo_civic.participation.eligibility import moderates_communes, refusal
from geo_civic.participation.errors import Invalid, NotAllowed
from geo_civic.participation.models import Residence, Status, Vote


def point_of_address(address: str) -> Point:
    if not address.strip() or len(address) > 300:
        raise Invalid("give an address of 1 to 300 characters")
    found = GeocoderChain().geocode(address, private=True)  # not cached, not logged
    if found is None:
        raise Invalid("this address was not found")
    return Point(found.lon, found.lat, srid=4326)


def point_of(lon: float, lat: float) -> Point:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise Invalid("lon must be within -180..180 and lat within -90..90")
    return Point(lon, lat, srid=4326)


@transaction.atomic
def set_residence(user, point: Point) -> Residence:
    """Record where ``user`` lives; refused (nothing changed) outside every known commune."""
    residence = Residence.objects.select_for_update().filter(user=user).first()
    previous = residence.commune_id if residence else None
    if residence is None:
        residence = Residence(user=user)
    residence.point = point
    residence.save()
    residence.refresh_from_db(fields=["commune", "verified"])
    if residence.commune_id is None:
        transaction.set_rollback(True)
        raise Invalid("this place is in no commune we know")
    if residence.commune_id != previous:
        _follow_the_move(user, residence)
    return residence


def _follow_the_move(user, residence: Residence) -> None:
    """Open ballots stay only where the person may still vote, counted in their new commune."""
    open_votes = Vote.objects.filter(voter=user, proposal__status=Status.VOTING).select_related(
        "proposal__space"
    )
    for vote in open_votes:
        if refusal(user, vote.proposal.space) is not None:
            vote.delete()
        else:
            Vote.objects.filter(pk=vote.pk).update(commune=residence.commune_id)


@transaction.atomic
def verify(moderator, username: str, verified: bool = True) -> Residence:
    """A moderator of the resident's commune vouches for them (or takes it back)."""
    if not is_moderator(moderator):  # before any look-up: nobody else learns who lives where
        raise NotAllowed("only a moderator of the resident's commune verifies them")
    user = get_user_model().objects.filter(username=username).first()
    residence = (
        Residence.objects.select_for_update().filter(user=user).first() if user else None
    )
    if residence is None or residence.commune_id is None:
        raise Invalid("no resident with this user name")
    if not moderates_communes(moderator, [residence.commune_id]):
        raise NotAllowed("only a moderator of the resident's commune verifies them")
    residence.verified = verified
    residence.verified_by = moderator if verified else None
    residence.verified_at = timezone.now() if verified else None
    residence.save(update_fields=["verified", "verified_by", "verified_at", "updated_at"])
    return residence
