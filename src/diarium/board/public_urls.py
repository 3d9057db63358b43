"""Public routes of the board process (no login): /insyn/anslagstavla/, /insyn/moten/."""

from django.urls import path

from diarium.board.views import public

app_name = "board_public"

urlpatterns = [
    path("insyn/anslagstavla/", public.notice_board, name="notices"),
    path("insyn/anslagstavla/arkiv/", public.notice_archive, name="archive"),
    path("insyn/moten/", public.meetings, name="meetings"),
    path("insyn/moten/<uuid:published_id>/", public.meeting, name="meeting"),
    path("insyn/moten/<uuid:published_id>/kallelse.pdf", public.meeting_notice_pdf,
         name="notice_pdf"),
    path("insyn/moten/<uuid:published_id>/dagordning.pdf", public.meeting_pdf,
         {"which": "dagordning"}, name="agenda_pdf"),
    path("insyn/moten/<uuid:published_id>/protokoll.pdf", public.meeting_pdf,
         {"which": "protokoll"}, name="minutes_pdf"),
]
