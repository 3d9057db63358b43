from django.urls import path

from diarium.disclosure import views, views_public

# The public's routes, also served by the public host name (public/host_urls.py).
public_urlpatterns = [
    path("insyn/begar/", views_public.request_form, name="public_request"),
    path("insyn/utlamnande/<str:token>/", views_public.download, name="download"),
    path("insyn/utlamnande/<str:token>/<int:index>/", views_public.download_file,
         name="download_file"),
]

app_name = "disclosure"
urlpatterns = [
    *public_urlpatterns,
    path("begaranden/", views.request_list, name="requests"),
    path("begaranden/ny/", views.request_new, name="request_new"),
    path("begaranden/installningar/", views.authority_settings, name="settings"),
    path("begaranden/statistik/", views.request_statistics, name="statistics"),
    path("begaranden/statistik.csv", views.request_statistics_csv, name="statistics_csv"),
    path("begaranden/<uuid:request_id>/", views.request_detail, name="request"),
    path("begaranden/<uuid:request_id>/beslut/", views.request_decision, name="decision"),
    path("begaranden/<uuid:request_id>/leverera/", views.request_deliver, name="deliver"),
    path("begaranden/<uuid:request_id>/handlingar/<uuid:item_id>/granska/",
         views.item_review, name="review"),
    path("begaranden/<uuid:request_id>/handlingar/<uuid:item_id>/maskera/",
         views.item_mask, name="mask"),
    path("begaranden/<uuid:request_id>/handlingar/<uuid:item_id>/fil/<uuid:file_id>/"
         "sida/<int:page_number>/", views.item_page_image, name="page_image"),
    path("begaranden/<uuid:request_id>/handlingar/<uuid:item_id>/maskerad/<uuid:copy_id>/",
         views.item_redacted, name="redacted"),
]
