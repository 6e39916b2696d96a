from django.urls import path

from geo_civic.pages.democracy import proposal_actions as act
from geo_civic.pages.democracy import proposal_form, proposal_page, residence, spaces

urlpatterns = [
    path("ma-residence/", residence.where_i_live, name="my-residence"),
    path("ma-residence/geocoder/", residence.geocode_privately, name="residence-geocode"),
    path("espaces/", spaces.space_list, name="spaces"),
    path("espaces/ouvrir/", spaces.open_space, name="space-create"),
    path("espaces/<int:pk>/", spaces.space_page, name="space"),
    path("espaces/<int:pk>/verifier/", spaces.verify_resident, name="space-verify"),
    path("espaces/<int:pk>/proposer/", proposal_form.propose, name="proposal-create"),
    path("propositions/<int:pk>/", proposal_page.proposal_page, name="proposal"),
    path("propositions/<int:pk>/commenter/", act.add_comment, name="proposal-comment"),
    path(
        "propositions/<int:pk>/commentaires/<int:comment_id>/modifier/",
        act.edit_comment,
        name="proposal-comment-edit",
    ),  # fmt: skip
    path(
        "propositions/<int:pk>/commentaires/<int:comment_id>/masquer/",
        act.hide_comment,
        name="proposal-comment-hide",
    ),  # fmt: skip
    path("propositions/<int:pk>/amender/", act.amend, name="proposal-amend"),
    path(
        "propositions/<int:pk>/amendements/<int:amendment_id>/voter/",
        act.vote_amendment,
        name="amendment-vote",
    ),  # fmt: skip
    path("propositions/<int:pk>/voter/", act.vote, name="proposal-cast"),
    path("propositions/<int:pk>/etat/", act.move_on, name="proposal-move-on"),
]
