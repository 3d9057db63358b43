from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("jobb/", views.job_list, name="jobs"),
    path("jobb/<uuid:job_id>/", views.job_detail, name="job"),
    path("jobb/<uuid:job_id>/forsok-igen/", views.job_retry, name="job_retry"),
]
