from django.urls import path

from diarium.registry.views import cases, disposal, documents, holds, inbox, register, search

app_name = "registry"
urlpatterns = [
    path("registrera/", register.register_incoming, name="register"),
    path("inkorg/", inbox.inbox, name="inbox"),
    path("inkorg/<uuid:item_id>/placera/", inbox.inbox_place, name="inbox_place"),
    path("inkorg/<uuid:item_id>/filer/<int:file_id>/", inbox.inbox_file, name="inbox_file"),
    path("sok/", search.search, name="search"),
    path("arenden/<uuid:case_id>/", cases.case_detail, name="case"),
    path("arenden/<uuid:case_id>/avsluta/", cases.case_close, name="case_close"),
    path("arenden/<uuid:case_id>/ateroppna/", cases.case_reopen, name="case_reopen"),
    path("arenden/<uuid:case_id>/vilande/", cases.case_dormant, name="case_dormant"),
    path("arenden/<uuid:case_id>/makulera/", cases.case_void, name="case_void"),
    path("arenden/<uuid:case_id>/ny-handling/", cases.case_add_document, name="case_add_document"),
    path("handlingar/<uuid:document_id>/", documents.document_detail, name="document"),
    path("handlingar/<uuid:document_id>/makulera/", documents.document_void, name="document_void"),
    path("filer/<uuid:file_id>/", documents.file_download, name="file"),
    path("handlingar/<uuid:document_id>/handlingstyp/", holds.document_record_type,
         name="document_record_type"),
    path("handlingar/<uuid:document_id>/inaktuell/", holds.document_no_longer_current,
         name="document_no_longer_current"),
    path("arenden/<uuid:case_id>/gallringsstopp/", holds.case_hold, name="case_hold"),
    path("handlingar/<uuid:document_id>/gallringsstopp/", holds.document_hold,
         name="document_hold"),
    path("gallringsstopp/<uuid:hold_id>/hav/", holds.hold_release, name="hold_release"),
    path("gallring/", disposal.report, name="disposal_report"),
    path("gallring/handlingar/", disposal.report_list, name="disposal_list"),
    path("gallring/gallringsunderlag.csv", disposal.report_csv, name="disposal_csv"),
]
