from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "diarium.plan"
    verbose_name = _("Document management plan")
