"""The public diary's pages under /insyn/ (or at the root of the public host name)."""

from django.urls import path

from diarium.public import feeds, views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("sok/", views.search, name="search"),
    path("arende/<uuid:case_id>/", views.case, name="case"),
    path("handling/<uuid:document_id>/", views.document, name="document"),
    path("fil/<uuid:file_id>/", views.download, name="download"),
    path("postlista/", views.postlista, name="postlista"),
    path("postlista/<str:code>/", views.postlista, name="postlista_authority"),
    path("postlista/<str:code>/rss/", feeds.PostlistaFeed(), name="feed_rss"),
    path("postlista/<str:code>/atom/", feeds.PostlistaAtom(), name="feed_atom"),
    path("register/", views.registers, name="registers"),
    path("oppna-data/", views.about_api, name="about_api"),
]
