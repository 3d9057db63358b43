"""The organisation as it is, in the file's rows: every municipality, authority, diary
series, administration, unit, user and role, in a fixed order so that two exports of the
same organisation are the same bytes. Passwords and the Django admin's flags are never
written."""

from __future__ import annotations

from diarium.organisation.models import (
    Administration,
    Authority,
    Municipality,
    RoleAssignment,
    Unit,
    User,
)
from diarium.registry.models import DiarySeries
from diarium.registry.orgfile import sheets as s
from diarium.registry.orgfile.files import Rows


def organisation_rows() -> Rows:
    return {
        s.MUNICIPALITIES.name: [
            {"kod": m.code, "namn": m.name, "organisationsnummer": m.organisation_number}
            for m in Municipality.objects.order_by("code")],
        s.AUTHORITIES.name: [
            {"kod": a.code, "namn": a.name, "kommun": a.municipality.code,
             "organisationsnummer": a.organisation_number,
             "medlemskommuner": s.join_list(sorted(m.code for m in
                                                   a.member_municipalities.all()))}
            for a in Authority.objects.select_related("municipality")
            .prefetch_related("member_municipalities").order_by("code")],
        s.SERIES.name: [
            {"kod": series.code, "myndighet": series.authority.code, "namn": series.name,
             "aktiv": s.yes_no(series.active), "nummerformat": series.number_format,
             "nollutfyllnad": "" if series.number_padding is None
             else str(series.number_padding)}
            for series in DiarySeries.objects.select_related("authority").order_by("code")],
        s.ADMINISTRATIONS.name: [
            {"kommun": adm.municipality.code, "namn": adm.name,
             "myndigheter": s.join_list(sorted(a.code for a in adm.authorities.all()))}
            for adm in Administration.objects.select_related("municipality")
            .prefetch_related("authorities").order_by("municipality__code", "name")],
        s.UNITS.name: [
            {"kommun": unit.administration.municipality.code,
             "förvaltning": unit.administration.name, "namn": unit.name}
            for unit in Unit.objects.select_related("administration__municipality")
            .order_by("administration__municipality__code", "administration__name", "name")],
        s.USERS.name: [_user_row(u) for u in User.objects.select_related(
            "home_municipality", "unit__administration__municipality").order_by("username")],
        s.ROLES.name: [
            {"användarnamn": r.user.username, "myndighet": r.authority.code,
             "roll": s.ROLE_WORDS.get(r.role, r.role)}
            for r in RoleAssignment.objects.select_related("user", "authority")
            .order_by("user__username", "authority__code", "role")],
    }


def _user_row(user: User) -> dict[str, str]:
    unit = user.unit
    home = user.home_municipality.code if user.home_municipality else ""
    unit_municipality = unit.administration.municipality.code if unit else ""
    return {
        "användarnamn": user.username, "förnamn": user.first_name,
        "efternamn": user.last_name, "epost": user.email, "hemkommun": home,
        # Written only when the unit is another municipality's (a neighbour's officer in
        # a joint board's unit).
        "enhetskommun": unit_municipality if unit_municipality != home else "",
        "förvaltning": unit.administration.name if unit else "",
        "enhet": unit.name if unit else "", "aktiv": s.yes_no(user.is_active),
    }
