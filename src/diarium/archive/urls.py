from django.urls import path

from diarium.archive import views, views_disposal, views_orders, views_search, views_structure

app_name = "archive"
urlpatterns = [
    path("arkiv/", views.packages, name="packages"),
    path("arkiv/paket/<uuid:package_id>/", views.package_detail, name="package"),
    path("arkiv/paket/<uuid:package_id>/kvitto.json", views.package_receipt, name="receipt"),
    path("arkiv/paket/<uuid:package_id>/bestall/", views_orders.order_new, name="order_new"),
    path("arkiv/sok/", views_search.search, name="search"),
    path("arkiv/struktur/", views_structure.structure, name="structure"),
    path("arkiv/overenskommelser/", views_structure.agreements, name="agreements"),
    path("arkiv/bestallningar/", views_orders.orders, name="orders"),
    path("arkiv/bestallningar/<uuid:order_id>/", views_orders.order_detail, name="order"),
    path("arkiv/bestallningar/<uuid:order_id>/provning/", views_orders.order_review,
         name="order_review"),
    path("arkiv/bestallningar/<uuid:order_id>/maskerad/", views_orders.order_masked,
         name="order_masked"),
    path("arkiv/bestallningar/<uuid:order_id>/leverera/", views_orders.order_deliver,
         name="order_deliver"),
    path("arkiv/leveranser/", views_orders.deliveries, name="deliveries"),
    path("arkiv/leveranser/<uuid:delivery_id>/dip.zip", views_orders.delivery_download,
         name="delivery_download"),
    path("arkiv/gallring/", views_disposal.runs, name="disposal_runs"),
    path("arkiv/gallring/<uuid:run_id>/", views_disposal.run_detail, name="disposal_run"),
    path("arkiv/gallring/<uuid:run_id>/beslut/", views_disposal.run_decide,
         name="disposal_decide"),
    path("arkiv/gallring/<uuid:run_id>/verkstall/", views_disposal.run_execute,
         name="disposal_execute"),
    path("arkiv/gallring/<uuid:run_id>/gallringsbevis.<str:fmt>", views_disposal.certificate,
         name="disposal_certificate"),
    path("arkiv/gallring/stopp/", views_disposal.holds, name="disposal_holds"),
    path("arkiv/gallring/stopp/<uuid:hold_id>/slapp/", views_disposal.hold_release,
         name="disposal_hold_release"),
]
