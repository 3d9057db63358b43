"""What the registry's API accepts. Each input turns into the dataclass a service takes;
none of them saves anything."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from diarium.core.serializers import Serializer
from diarium.organisation.models import Municipality, Unit, User
from diarium.registry import selectors, services
from diarium.registry.api.codes import CodeField
from diarium.registry.models import Case, DiarySeries, Direction, Party, PartyKind

UNKNOWN_SERIES = _("There is no diary series with the code “{value}”.")
UNKNOWN_USER = _("There is no active user named “{value}”.")
UNKNOWN_PARTY = _("There is no party with the id “{pk_value}”.")


def _users():
    return User.objects.filter(is_active=True)


class SeriesField(serializers.SlugRelatedField):
    """A diary series by its code, read with its authority (selectors.series_by_code)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", {"does_not_exist": UNKNOWN_SERIES})
        kwargs.setdefault("help_text", "The diary series' code.")
        super().__init__(slug_field="code", queryset=DiarySeries.objects.all(), **kwargs)

    def to_internal_value(self, data: object) -> DiarySeries:
        if not isinstance(data, str) or "\x00" in data:  # PostgreSQL's text holds no NUL
            self.fail("invalid")
        series = selectors.series_by_code(data)
        if series is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return series


class VisiblePartyField(serializers.PrimaryKeyRelatedField):
    """A party by id, among those the requesting user may see (give the serializer
    context={"request": request}); any other id is unknown, as if it did not exist."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", {"does_not_exist": UNKNOWN_PARTY})
        super().__init__(queryset=Party.objects.none(), **kwargs)  # the schema's type

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Party.objects.none()
        return selectors.parties(request.user)


class SecrecyInput(Serializer):
    """A secrecy marking. An empty provision removes the marking."""

    provision = serializers.CharField(
        max_length=64, allow_blank=True,
        help_text='A provision of the register, written as usual: "OSL 26:1", '
        '"26 kap. 1 §" or "OSL 26 kap. 1 § 2 st.". Stored as the structured provision.',
    )
    marked_on = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")
    withhold_title = serializers.BooleanField(default=False)
    withhold_parties = serializers.BooleanField(default=False)
    withhold_files = serializers.BooleanField(default=False)

    def to_secrecy(self) -> services.Secrecy:
        return services.Secrecy(**self.validated_data)


class CaseFieldsInput(Serializer):
    title = serializers.CharField(max_length=500)
    public_title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    classification_code = serializers.CharField(max_length=32, required=False, allow_blank=True)
    responsible_officer = serializers.SlugRelatedField(
        slug_field="username", queryset=_users(), required=False, allow_null=True,
        error_messages={"does_not_exist": UNKNOWN_USER}, help_text="A username.",
    )
    responsible_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), required=False, allow_null=True,
        help_text="For a joint board: the member municipality's code.",
    )
    follow_up_date = serializers.DateField(required=False, allow_null=True)
    secrecy = SecrecyInput(required=False, allow_null=True)

    def case_data(self, current: Case | None = None) -> services.CaseData:
        """The service's CaseData: given fields over the current case's values."""
        given = dict(self.validated_data)
        given.pop("series", None)
        secrecy = given.pop("secrecy", "absent")
        base = {} if current is None else {
            "title": current.title,
            "public_title": current.public_title,
            "classification_code": current.classification_code,
            "responsible_officer": current.responsible_officer,
            "responsible_unit": current.responsible_unit,
            "municipality": current.municipality,
            "follow_up_date": current.follow_up_date,
        }
        data = services.CaseData(**(base | given))
        if secrecy is None:
            data.secrecy = services.Secrecy()
        elif secrecy != "absent":
            data.secrecy = services.Secrecy(**secrecy)
        elif current is not None:
            data.secrecy = _current_secrecy(current)
        return data


def _current_secrecy(case: Case) -> services.Secrecy:
    return services.Secrecy(
        provision=case.secrecy_provision, marked_on=case.secrecy_marked_on,
        withhold_title=case.withhold_title, withhold_parties=case.withhold_parties,
        withhold_files=case.withhold_files,
    )


class CaseCreateInput(CaseFieldsInput):
    series = SeriesField()


class CaseUpdateInput(CaseFieldsInput):
    """Only the fields given change; `secrecy: null` removes the marking."""

    title = serializers.CharField(max_length=500, required=False)


class CloseInput(Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VoidInput(Serializer):
    reason = serializers.CharField()


class RelateInput(Serializer):
    """The other case, by id or by diary number."""

    case = serializers.UUIDField(required=False)
    diarienummer = serializers.CharField(required=False)

    def validate(self, attrs: dict) -> dict:
        if ("case" in attrs) == ("diarienummer" in attrs):
            raise serializers.ValidationError(_("Give either case or diarienummer."))
        return attrs


class AddPartyInput(Serializer):
    party = VisiblePartyField()
    role = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class GrantAccessInput(Serializer):
    user = serializers.SlugRelatedField(
        slug_field="username", queryset=_users(), error_messages={"does_not_exist": UNKNOWN_USER},
        help_text="The username of the staff member to add to the case's access group.",
    )


class PartyInput(Serializer):
    kind = serializers.ChoiceField(choices=PartyKind.choices)
    name = serializers.CharField(max_length=300)
    identity_number = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="",
        help_text="Personnummer (person) or organisationsnummer (organisation); checked.",
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


# Inputs that say where a document goes (or which file and note come with it), not what it is.
CASE_KEYS = ("case", "files", "file", "note", "series", "case_title", "case_public_title")


class DocumentFieldsInput(Serializer):
    """A document's fields. The secrecy marking is given flat (form-friendly):
    secrecy_provision (empty: none), secrecy_marked_on and the withhold_* flags. Without
    secrecy_provision the record type's default secrecy from the plan applies (with
    title, parties and files withheld)."""

    direction = CodeField(choices=Direction.choices)
    title = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="",
        help_text="Required unless the record type has a naming rule, which then gives it.")
    document_date = serializers.DateField()
    public_title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    record_type = serializers.CharField(
        max_length=200, required=False, allow_blank=True, allow_null=True,
        help_text="The record type's id or name in the authority's document management plan "
        "in force. It fills in the default secrecy and decides the disposal date. A record "
        "type that is kept in order or not registered, or belongs to another diary series "
        "or IT system, or is meant for documents of the other direction (an incoming type on "
        "an outgoing or drawn-up document, or the reverse), is registered all the same: "
        "the response lists `warnings`.",
    )
    sender_recipient = serializers.CharField(max_length=300, required=False, allow_blank=True)
    party = VisiblePartyField(required=False, allow_null=True)
    secrecy_provision = serializers.CharField(max_length=64, required=False, allow_blank=True)
    secrecy_marked_on = serializers.DateField(required=False, allow_null=True)
    withhold_title = serializers.BooleanField(required=False, default=False)
    withhold_parties = serializers.BooleanField(required=False, default=False)
    withhold_files = serializers.BooleanField(required=False, default=False)

    def document_data(self, **defaults) -> services.DocumentData:
        given = {k: v for k, v in self.validated_data.items() if k not in CASE_KEYS}
        marked = "secrecy_provision" in given
        secrecy = services.Secrecy(
            provision=given.pop("secrecy_provision", ""),
            marked_on=given.pop("secrecy_marked_on", None),
            withhold_title=given.pop("withhold_title"),
            withhold_parties=given.pop("withhold_parties"),
            withhold_files=given.pop("withhold_files"),
        )
        return services.DocumentData(**(defaults | given), secrecy=secrecy if marked else None)


class DocumentCreateInput(DocumentFieldsInput):
    case = serializers.UUIDField(help_text="The case's id.")
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list,
        help_text="multipart/form-data: repeat the `files` part once per file.",
    )


class DraftCreateInput(DocumentFieldsInput):
    case = serializers.UUIDField(help_text="The case's id.")
    file = serializers.FileField(help_text="multipart/form-data: the first version.")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class VersionInput(Serializer):
    file = serializers.FileField(help_text="multipart/form-data: the new version's file.")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="",
        help_text="Required when the document is final: the new version becomes the final "
        "one, and the reason is recorded.")
    check_in = serializers.BooleanField(
        required=False, default=False,
        help_text="Also release my check-out (the new version is checked in).")


class ReasonInput(Serializer):
    reason = serializers.CharField(max_length=2000)


class PlaceInboxInput(DocumentFieldsInput):
    """Defaults: direction incoming, the mail's subject as title, its sender, and the
    date it was received. Give `case` (an existing case), or `series` and `case_title`
    to open a new case with the mail as its first document (in one transaction)."""

    case = serializers.UUIDField(required=False, help_text="An existing case's id.")
    series = SeriesField(required=False, help_text="For a new case: the diary series' code.")
    case_title = serializers.CharField(max_length=500, required=False,
                                       help_text="For a new case: its title.")
    case_public_title = serializers.CharField(max_length=500, required=False,
                                              allow_blank=True)
    direction = CodeField(choices=Direction.choices, default=Direction.INCOMING)
    title = serializers.CharField(max_length=500, required=False)
    document_date = serializers.DateField(required=False)

    def validate(self, attrs: dict) -> dict:
        if ("case" in attrs) == ("series" in attrs):
            raise serializers.ValidationError(
                {"case": [_("Give either case (an existing case) or series (a new case).")]})
        if "series" in attrs and not attrs.get("case_title", "").strip():
            raise serializers.ValidationError({"case_title": [_("A case needs a title.")]})
        return attrs


class NoLongerCurrentInput(Serializer):
    date = serializers.DateField(
        allow_null=True,
        help_text="The day the document was found no longer current; null clears it.",
    )


class KeepInboxInput(Serializer):
    kept_in = serializers.CharField(
        max_length=200, help_text="The register or IT system the mail is kept in order in.")
    record_type = serializers.CharField(
        max_length=200, required=False, allow_blank=True, allow_null=True,
        help_text="Optional: the record type's id or name in the plan. A record type that "
        "is secret by default is refused (secret documents are always registered).")


class DismissInboxInput(Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why the mail is not an official document.")


class InboxMessageInput(Serializer):
    file = serializers.FileField(help_text="multipart/form-data: an e-mail message as "
                                 ".eml (RFC 5322) or an Outlook .msg file.")
    authority = serializers.CharField(
        max_length=16, help_text="The code of the authority whose inbox receives it.")
