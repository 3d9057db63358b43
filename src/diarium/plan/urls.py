from django.urls import path

from diarium.plan.views import imports, plans, systems, templates

app_name = "plan"
urlpatterns = [
    path("plan/", plans.plan_index, name="plan_index"),
    path("plan/vad-gor-jag-med/", plans.what_to_do, name="lookup"),
    path("plan/<uuid:plan_id>/", plans.plan_page, name="plan"),
    path("plan/<uuid:plan_id>/export/", plans.plan_export, name="export"),
    path("plan/<uuid:plan_id>/importera/", imports.plan_import, name="import"),
    path("plan/<uuid:plan_id>/handlingstyper/<uuid:record_type_id>/publicering/",
         plans.record_type_publishable, name="record_type_publishable"),
    path("plan/<uuid:plan_id>/versioner/<int:number>/anta/", imports.plan_adopt, name="adopt"),
    path("system/", systems.system_list, name="systems"),
    path("system/nytt/", systems.system_create, name="system_create"),
    path("system/<uuid:system_id>/", systems.system_detail, name="system"),
    path("system/<uuid:system_id>/andra/", systems.system_edit, name="system_edit"),
    path("system/<uuid:system_id>/checklistor/", systems.checklist_start,
         name="checklist_start"),
    path("system/checklistpunkter/<int:item_id>/", systems.checklist_tick, name="checklist_tick"),
    path("system/checklistmallar/", templates.template_list, name="templates"),
    path("system/checklistmallar/<uuid:template_id>/", templates.template_detail,
         name="template"),
]
