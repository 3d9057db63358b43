"""Reads about who may do what. Every permission decision starts here."""

from collections.abc import Callable, Iterable
from functools import cached_property

from django.db.models import Q, QuerySet

from diarium.organisation.models import Authority, Municipality, Role, RoleAssignment, Unit, User

# Roles that see every registration of their authority, secret content included:
# the registry must register secret mail and the archivist must preserve it.
FULL_ACCESS_ROLES = frozenset({Role.REGISTRATOR, Role.ARCHIVIST, Role.ADMINISTRATOR})
# Roles that may open cases and register documents.
REGISTERING_ROLES = frozenset({Role.REGISTRATOR, Role.OFFICER, Role.SECRETARY, Role.ADMINISTRATOR})
# Roles that may void registrations or change a case's state on behalf of others.
REGISTRY_ROLES = frozenset({Role.REGISTRATOR, Role.ADMINISTRATOR})


class Access:
    """A user's roles per authority, read once per request (never kept across requests:
    a role withdrawn takes effect at the next request)."""

    def __init__(self, user: User, roles: Iterable[tuple[object, str]] | None = None):
        self.user = user
        if roles is not None:  # read already, with the request's token (tokens.py)
            self.__dict__["roles"] = _by_authority(roles)

    @cached_property
    def roles(self) -> dict[object, set[str]]:
        if not self.user.is_authenticated:
            return {}
        return _by_authority(
            RoleAssignment.objects.filter(user=self.user).values_list("authority_id", "role"))

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles) or self.user.is_superuser

    def authority_ids(self) -> set:
        return set(self.roles)

    def authorities_with(self, roles: Iterable[str]) -> set:
        wanted = set(roles)
        if self.user.is_superuser:
            return set(Authority.objects.values_list("id", flat=True))
        return {a for a, held in self.roles.items() if held & wanted}

    def has(self, authority_id, roles: Iterable[str]) -> bool:
        return self.user.is_superuser or bool(self.roles.get(authority_id, set()) & set(roles))

    def has_any_role(self, authority_id) -> bool:
        return self.user.is_superuser or authority_id in self.roles


def _by_authority(rows: Iterable[tuple[object, str]]) -> dict[object, set[str]]:
    result: dict[object, set[str]] = {}
    for authority_id, role in rows:
        result.setdefault(authority_id, set()).add(role)
    return result


def access_for(user: User) -> Access:
    """The Access of a user, cached on the user object for the request's lifetime. A
    system principal (frozen, holding no role) gets an empty Access each time."""
    cached = getattr(user, "_diarium_access", None)
    if cached is None:
        cached = Access(user)
        if isinstance(user, User):
            user._diarium_access = cached
    return cached


def access_with_roles(user: User, roles: Iterable[tuple[object, str]]) -> Access:
    """The Access of a user whose roles (authority id, role) were read in this request
    together with something else (the API token: one query for both, tokens.py), put
    where access_for finds it for the rest of the request."""
    access = Access(user, roles)
    user._diarium_access = access
    return access


def holds(authority_id, roles: Iterable[str]) -> Callable[[User], bool]:
    """The role check services hand to diarium.core.actors.require for users: holds one of
    the roles in the authority."""
    return lambda user: access_for(user).has(authority_id, roles)


def authorities_for(user: User):
    """Authorities the user works in (holds any role in)."""
    access = access_for(user)
    if user.is_superuser:
        return Authority.objects.all()
    return Authority.objects.filter(id__in=access.authority_ids())


def staff_of(authority_ids: Iterable) -> QuerySet[User]:
    """Active users holding any role in one of the authorities."""
    return (
        User.objects.filter(is_active=True, roles__authority_id__in=list(authority_ids))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- what an administrator administers (the staff UI's user administration) ----------

ADMINISTRATOR_ROLES = frozenset({Role.ADMINISTRATOR})


def administered_authorities(user: User) -> QuerySet[Authority]:
    """The authorities where the user is administrator (every one for a superuser)."""
    ids = access_for(user).authorities_with(ADMINISTRATOR_ROLES)
    return Authority.objects.filter(id__in=ids).order_by("code")


def may_administer(user: User) -> bool:
    """Administrator of at least one authority, or a superuser."""
    return user.is_superuser or bool(access_for(user).authorities_with(ADMINISTRATOR_ROLES))


def administered_municipalities(user: User) -> QuerySet[Municipality]:
    """Municipalities with an authority the user administers: where they may add users,
    administrations and units."""
    if user.is_superuser:
        return Municipality.objects.order_by("name")
    return Municipality.objects.filter(
        authorities__in=administered_authorities(user)).distinct().order_by("name")


def administered_users(user: User, text: str = "") -> QuerySet[User]:
    """Users an administrator looks after: those of the municipalities they administer,
    and those who hold a role in an authority they administer (a neighbour's officer in a
    joint board). `text` matches the username, names and e-mail address."""
    if user.is_superuser:
        found = User.objects.all()
    else:
        found = User.objects.filter(
            Q(home_municipality__in=administered_municipalities(user))
            | Q(roles__authority__in=administered_authorities(user))).distinct()
    for word in text.split():
        found = found.filter(Q(username__icontains=word) | Q(first_name__icontains=word)
                             | Q(last_name__icontains=word) | Q(email__icontains=word))
    return found.select_related("unit", "unit__administration", "home_municipality") \
        .order_by("last_name", "first_name", "username")


def units_of(municipalities: Iterable[Municipality]) -> QuerySet[Unit]:
    return Unit.objects.filter(administration__municipality__in=list(municipalities)) \
        .select_related("administration").order_by("administration__name", "name")
