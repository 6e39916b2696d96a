"""ActivityPub's paths; mounted at the site's root by the project's urls."""

from django.urls import path, register_converter

from geo_civic.fediverse import views


class KindPath:
    regex = "communes|actors|spaces|site"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindPath, "apkind")

urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="webfinger"),
    path(".well-known/nodeinfo", views.nodeinfo_index, name="nodeinfo-index"),
    path("nodeinfo/2.1", views.nodeinfo, name="nodeinfo"),
    path("ap/inbox", views.shared_inbox, name="ap-shared-inbox"),
    path("ap/objects/<str:kind>/<int:pk>", views.object_view, name="ap-object"),
    path("ap/<apkind:kind_path>/<str:key>", views.actor, name="ap-actor"),
    path("ap/<apkind:kind_path>/<str:key>/inbox", views.actor_inbox, name="ap-inbox"),
    path("ap/<apkind:kind_path>/<str:key>/outbox", views.outbox_view, name="ap-outbox"),
    path("ap/<apkind:kind_path>/<str:key>/followers", views.followers, name="ap-followers"),
]
