"""Staff and member routes of the board process."""

from django.urls import path

from diarium.board.views import delegation, links, member, member_link, ready, secretary

app_name = "board"

urlpatterns = [
    path("sammantraden/", secretary.meeting_list, name="meetings"),
    path("sammantraden/nytt/", secretary.meeting_new, name="meeting_new"),
    path("sammantraden/<uuid:meeting_id>/", secretary.meeting_detail, name="meeting"),
    path("sammantraden/<uuid:meeting_id>/punkt/", secretary.add_item, name="add_item"),
    path("sammantraden/<uuid:meeting_id>/ordning/", secretary.reorder, name="reorder"),
    path("sammantraden/<uuid:meeting_id>/kallelse/", secretary.send_notice, name="send_notice"),
    path("sammantraden/<uuid:meeting_id>/narvaro/", secretary.attendance, name="attendance"),
    path("sammantraden/<uuid:meeting_id>/justerare/", secretary.adjusters, name="adjusters"),
    path("sammantraden/<uuid:meeting_id>/protokoll/", secretary.produce_minutes,
         name="produce_minutes"),
    path("sammantraden/<uuid:meeting_id>/anslag/", secretary.posting_date,
         name="posting_date"),
    path("punkter/<uuid:item_id>/flytta/", secretary.move_item, name="move_item"),
    path("punkter/<uuid:item_id>/stangd/", secretary.close_item, name="close_item"),
    path("punkter/<uuid:item_id>/jav/", secretary.conflict, name="conflict"),
    path("punkter/<uuid:item_id>/votering/", secretary.vote, name="vote"),
    path("punkter/<uuid:item_id>/reservation/", secretary.remark, name="remark"),
    path("punkter/<uuid:item_id>/beslut/", secretary.decide, name="decide"),
    path("delegationsbeslut/<uuid:authority_id>/", delegation.decisions,
         name="delegated_decisions"),
    path("delegationsbeslut/<uuid:authority_id>/ny/", delegation.register,
         name="register_delegated"),
    path("arenden/<uuid:case_id>/klar-for-beslut/", ready.mark_ready, name="mark_ready"),
    path("sammantraden/organ/<uuid:body_id>/lankar/", links.member_links_page,
         name="member_links"),
    path("sammantraden/ledamoter/<uuid:member_id>/lank/", links.issue,
         name="issue_member_link"),
    path("sammantraden/ledamoter/<uuid:member_id>/lank/aterkalla/", links.revoke,
         name="revoke_member_link"),
    path("ledamot/lank/<str:token>/", member_link.meetings, name="link_meetings"),
    path("ledamot/lank/<str:token>/<uuid:meeting_id>/", member_link.meeting,
         name="link_meeting"),
    path("ledamot/lank/<str:token>/handlingar/<int:attached_id>/", member_link.document,
         name="link_document"),
    path("ledamot/lank/<str:token>/punkter/<uuid:item_id>/anteckning/", member_link.save_note,
         name="link_note"),
    path("ledamot/", member.my_meetings, name="my_meetings"),
    path("ledamot/<uuid:meeting_id>/", member.my_meeting, name="my_meeting"),
    path("ledamot/<uuid:meeting_id>/justera/", member.sign, name="sign"),
    path("ledamot/punkter/<uuid:item_id>/anteckning/", member.save_note, name="note"),
    path("ledamot/handlingar/<int:attached_id>/", member.document, name="member_document"),
]
