from django.urls import path

from diarium.archive import views

app_name = "archive"
urlpatterns = [
    path("arkiv/", views.packages, name="packages"),
    path("arkiv/paket/<uuid:package_id>/", views.package_detail, name="package"),
    path("arkiv/paket/<uuid:package_id>/kvitto.json", views.package_receipt, name="receipt"),
]
