"""What a person can get wrong in local democracy, each with a reason they understand.

The API turns them into RFC 9457 problems (``geo_civic/api_v1/problems.py``) by their status.
"""


class ParticipationError(Exception):
    status = 400
    title = "Invalid request"
    slug = "invalid"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotEligible(ParticipationError):
    status = 403
    title = "Not eligible"
    slug = "not-eligible"


class NotAllowed(ParticipationError):
    status = 403
    title = "Not allowed"
    slug = "forbidden"


class WrongState(ParticipationError):
    status = 409
    title = "Not open"
    slug = "wrong-state"


class OutsideTerritory(ParticipationError):
    status = 400
    title = "Outside the territory"
    slug = "outside-territory"


class Invalid(ParticipationError):
    pass
