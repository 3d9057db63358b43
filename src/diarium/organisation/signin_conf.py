"""Signing in with the municipality's account: the DIARIUM_OIDC_*, DIARIUM_SAML_*,
DIARIUM_LDAP_* and DIARIUM_SSO_* environment variables turned into settings
(docs/sign-in.md, docs/configuration.md).

Read by settings.py when the process starts, so this module imports nothing of Django's
apps. `signin_settings(environ)` returns the settings as a dict: settings.py takes them
into its namespace, and the tests apply the dict of an environment they make up, so the
variables themselves are what is tested. A protocol is on when its one required variable is
set (DIARIUM_OIDC_CLIENT_ID, DIARIUM_SAML_IDP_METADATA, DIARIUM_LDAP_URL); anything else
missing or malformed stops the process at start with ImproperlyConfigured."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
MATCH_FIELDS = ("username", "email", "external_id")
ROLES = ("registrar", "officer", "secretary", "archivist", "administrator", "reader")

OIDC_BACKEND = "diarium.organisation.oidc.OidcBackend"
SAML_BACKEND = "diarium.organisation.saml.SamlBackend"
LOCAL_BACKEND = "diarium.organisation.lockout.LockoutModelBackend"

# What each user field is read from, unless DIARIUM_*_CLAIMS / _ATTRIBUTES say otherwise.
OIDC_CLAIMS = {"username": "preferred_username", "first_name": "given_name",
               "last_name": "family_name", "email": "email", "external_id": ""}
SAML_ATTRIBUTES = {"username": "", "first_name": "givenName", "last_name": "sn",
                   "email": "mail", "external_id": ""}
# Active Directory's names; an OpenLDAP directory sets DIARIUM_LDAP_ATTRIBUTES.
LDAP_ATTRIBUTES = {"username": "sAMAccountName", "first_name": "givenName",
                   "last_name": "sn", "email": "mail", "unit": "department",
                   "external_id": "", "groups": ""}
LDAP_USER_FILTER = "(&(objectCategory=person)(objectClass=user))"
LDAP_DISABLED_FILTER = "(userAccountControl:1.2.840.113556.1.4.803:=2)"


def _bool(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    return env.get(name, str(default)).strip().lower() in TRUE


def _secret(env: Mapping[str, str], name: str) -> str:
    """NAME, or the content of the file NAME_FILE (for secrets kept out of the
    environment, e.g. a systemd credential)."""
    if path := env.get(f"{name}_FILE", "").strip():
        return Path(path).read_text(encoding="utf-8").strip()
    return env.get(name, "")


def _json_object(env: Mapping[str, str], name: str, default: dict) -> dict:
    raw = env.get(name, "").strip()
    if not raw:
        return dict(default)
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: not JSON ({exc})") from exc
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ImproperlyConfigured(f"{name}: a JSON object of names, e.g. "
                                   '{"email": "mail"}')
    unknown = set(value) - set(default)
    if unknown:
        raise ImproperlyConfigured(f"{name}: unknown fields {sorted(unknown)}; known: "
                                   f"{sorted(default)}")
    return {**default, **value}


def parse_group_roles(value: Any, where: str = "DIARIUM_SSO_GROUP_ROLES") -> dict:
    """{group: ["KS:registrar", …]} → {group: [("KS", "registrar"), …]}. A group is any
    string the identity provider sends: a name, an Entra ID object id, an LDAP DN."""
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{where}: an object of group: [\"CODE:role\", …]")
    mapping: dict[str, list[tuple[str, str]]] = {}
    for group, grants in value.items():
        if isinstance(grants, str):
            grants = [grants]
        if not isinstance(grants, list):
            raise ImproperlyConfigured(f"{where}: {group!r}: a list of \"CODE:role\"")
        pairs = []
        for grant in grants:
            code, _sep, role = str(grant).rpartition(":")
            if not code or role not in ROLES:
                raise ImproperlyConfigured(
                    f"{where}: {group!r}: {grant!r} is not AUTHORITY:role with a role of "
                    f"{', '.join(ROLES)}")
            pairs.append((code.strip(), role))
        mapping[str(group)] = pairs
    return mapping


def _group_roles(env: Mapping[str, str]) -> dict:
    """DIARIUM_SSO_GROUP_ROLES: inline JSON, or the path of a .json or .yaml file."""
    raw = env.get("DIARIUM_SSO_GROUP_ROLES", "").strip()
    if not raw:
        return {}
    if raw.startswith("{"):
        try:
            return parse_group_roles(json.loads(raw))
        except ValueError as exc:
            raise ImproperlyConfigured(f"DIARIUM_SSO_GROUP_ROLES: not JSON ({exc})") from exc
    path = Path(raw)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(f"DIARIUM_SSO_GROUP_ROLES: cannot read {path}") from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        return parse_group_roles(yaml.safe_load(text) or {}, str(path))
    return parse_group_roles(json.loads(text), str(path))


def _match_field(env: Mapping[str, str], name: str, default: str = "username") -> str:
    field = env.get(name, default).strip() or default
    if field not in MATCH_FIELDS:
        raise ImproperlyConfigured(f"{name}: one of {', '.join(MATCH_FIELDS)}")
    return field


def _required(env: Mapping[str, str], names: list[str], why: str) -> None:
    missing = [n for n in names if not env.get(n, "").strip()]
    if missing:
        raise ImproperlyConfigured(f"{why} needs {', '.join(missing)}")


def _oidc(env: Mapping[str, str], common: dict) -> dict:
    if not env.get("DIARIUM_OIDC_CLIENT_ID", "").strip():
        return {"OIDC_ENABLED": False}
    _required(env, ["DIARIUM_OIDC_AUTHORIZATION_ENDPOINT", "DIARIUM_OIDC_TOKEN_ENDPOINT",
                    "DIARIUM_OIDC_USERINFO_ENDPOINT"], "DIARIUM_OIDC_CLIENT_ID")
    algo = env.get("DIARIUM_OIDC_SIGN_ALGO", "RS256").strip()
    if algo.startswith(("RS", "ES")) and not env.get("DIARIUM_OIDC_JWKS_ENDPOINT"):
        raise ImproperlyConfigured(f"DIARIUM_OIDC_SIGN_ALGO={algo} needs "
                                   "DIARIUM_OIDC_JWKS_ENDPOINT")
    claims = _json_object(env, "DIARIUM_OIDC_CLAIMS", OIDC_CLAIMS)
    match_field = _match_field(env, "DIARIUM_OIDC_MATCH_FIELD")
    return {
        "OIDC_ENABLED": True,
        # mozilla-django-oidc's own settings
        "OIDC_RP_CLIENT_ID": env["DIARIUM_OIDC_CLIENT_ID"].strip(),
        "OIDC_RP_CLIENT_SECRET": _secret(env, "DIARIUM_OIDC_CLIENT_SECRET"),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": env["DIARIUM_OIDC_AUTHORIZATION_ENDPOINT"].strip(),
        "OIDC_OP_TOKEN_ENDPOINT": env["DIARIUM_OIDC_TOKEN_ENDPOINT"].strip(),
        "OIDC_OP_USER_ENDPOINT": env["DIARIUM_OIDC_USERINFO_ENDPOINT"].strip(),
        "OIDC_OP_JWKS_ENDPOINT": env.get("DIARIUM_OIDC_JWKS_ENDPOINT", "").strip() or None,
        "OIDC_RP_SIGN_ALGO": algo,
        "OIDC_RP_SCOPES": env.get("DIARIUM_OIDC_SCOPES", "openid email profile").strip(),
        "OIDC_USE_PKCE": _bool(env, "DIARIUM_OIDC_USE_PKCE", True),
        "OIDC_TOKEN_USE_BASIC_AUTH": _bool(env, "DIARIUM_OIDC_TOKEN_BASIC_AUTH"),
        "OIDC_TIMEOUT": float(env.get("DIARIUM_OIDC_TIMEOUT", 10)),
        "OIDC_VERIFY_SSL": env.get("DIARIUM_OIDC_CA_FILE", "").strip() or True,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "web:oidc_callback",
        "OIDC_STORE_ID_TOKEN": False,
        "LOGIN_REDIRECT_URL_FAILURE": "/logga-in/?sso=fel",
        # Diarium's: who the person is and what they may do (organisation/identity.py)
        "OIDC_PROFILE": {
            "source": "oidc",
            "issuer": env.get("DIARIUM_OIDC_ISSUER", "").strip(),
            "match_claim": (env.get("DIARIUM_OIDC_MATCH_CLAIM", "").strip()
                            or claims[match_field] or "preferred_username"),
            "match_field": match_field,
            "create_users": _bool(env, "DIARIUM_OIDC_CREATE_USERS"),
            "claims": claims,
            "groups_claim": env.get("DIARIUM_OIDC_GROUPS_CLAIM", "").strip(),
            **common,
        },
    }


def _saml(env: Mapping[str, str], common: dict) -> dict:
    metadata = env.get("DIARIUM_SAML_IDP_METADATA", "").strip()
    if not metadata:
        return {"SAML_ENABLED": False}
    _required(env, ["DIARIUM_SAML_BASE_URL"], "DIARIUM_SAML_IDP_METADATA")
    base = env["DIARIUM_SAML_BASE_URL"].strip().rstrip("/")
    attributes = _json_object(env, "DIARIUM_SAML_ATTRIBUTES", SAML_ATTRIBUTES)
    key, cert = (env.get("DIARIUM_SAML_KEY_FILE", "").strip(),
                 env.get("DIARIUM_SAML_CERT_FILE", "").strip())
    if bool(key) != bool(cert):
        raise ImproperlyConfigured("DIARIUM_SAML_KEY_FILE and DIARIUM_SAML_CERT_FILE go "
                                   "together")
    remote = metadata.startswith(("https://", "http://"))
    sp: dict[str, Any] = {
        "name_id_format_allow_create": True,
        "endpoints": {
            "assertion_consumer_service": [
                (f"{base}/sso/saml/acs/", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST")],
        },
        "allow_unsolicited": False,
        "authn_requests_signed": bool(key),
        "want_assertions_signed": True,
        "want_response_signed": False,
        "idp": None,  # any IdP of the metadata
    }
    config: dict[str, Any] = {
        "xmlsec_binary": env.get("DIARIUM_SAML_XMLSEC_BINARY", "/usr/bin/xmlsec1"),
        "entityid": env.get("DIARIUM_SAML_ENTITY_ID", "").strip()
        or f"{base}/sso/saml/metadata/",
        "service": {"sp": sp},
        "metadata": ({"remote": [{"url": metadata}]} if remote else {"local": [metadata]}),
        "allow_unknown_attributes": True,
        "debug": False,
    }
    if key:
        config["key_file"], config["cert_file"] = key, cert
        config["encryption_keypairs"] = [{"key_file": key, "cert_file": cert}]
    if ca := env.get("DIARIUM_SAML_CA_FILE", "").strip():
        config["ca_certs"] = ca
    return {
        "SAML_ENABLED": True,
        "SAML_CONFIG": config,
        "SAML_SESSION_COOKIE_NAME": "diarium_saml",
        "SAML_ATTRIBUTE_MAPPING": {},
        "SAML_CREATE_UNKNOWN_USER": False,  # Diarium decides (SAML_PROFILE)
        "SAML_DEFAULT_BINDING": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
        "SAML_IGNORE_LOGOUT_ERRORS": True,
        "SAML_ACS_FAILURE_RESPONSE_FUNCTION": "diarium.web.signin.sso_failed",
        "SAML_PROFILE": {
            "source": "saml",
            "issuer": "",
            "match_claim": env.get("DIARIUM_SAML_MATCH_ATTRIBUTE", "").strip()
            or attributes[_match_field(env, "DIARIUM_SAML_MATCH_FIELD")] or "NameID",
            "match_field": _match_field(env, "DIARIUM_SAML_MATCH_FIELD"),
            "create_users": _bool(env, "DIARIUM_SAML_CREATE_USERS"),
            "claims": attributes,
            "groups_claim": env.get("DIARIUM_SAML_GROUPS_ATTRIBUTE", "").strip(),
            **common,
        },
    }


def _ldap(env: Mapping[str, str], common: dict) -> dict:
    url = env.get("DIARIUM_LDAP_URL", "").strip()
    if not url:
        return {"LDAP_SYNC": None}
    _required(env, ["DIARIUM_LDAP_USER_BASE"], "DIARIUM_LDAP_URL")
    attributes = _json_object(env, "DIARIUM_LDAP_ATTRIBUTES", LDAP_ATTRIBUTES)
    match_field = _match_field(env, "DIARIUM_LDAP_MATCH_FIELD")
    if not attributes[match_field]:
        raise ImproperlyConfigured(f"DIARIUM_LDAP_MATCH_FIELD={match_field} needs its "
                                   "attribute in DIARIUM_LDAP_ATTRIBUTES")
    return {"LDAP_SYNC": {
        "url": url,
        "bind_dn": env.get("DIARIUM_LDAP_BIND_DN", "").strip(),
        "bind_password": _secret(env, "DIARIUM_LDAP_BIND_PASSWORD"),
        "start_tls": _bool(env, "DIARIUM_LDAP_START_TLS"),
        "ca_file": env.get("DIARIUM_LDAP_CA_FILE", "").strip(),
        "timeout": float(env.get("DIARIUM_LDAP_TIMEOUT", 30)),
        "user_base": env["DIARIUM_LDAP_USER_BASE"].strip(),
        "user_filter": env.get("DIARIUM_LDAP_USER_FILTER", "").strip() or LDAP_USER_FILTER,
        "disabled_filter": env.get("DIARIUM_LDAP_DISABLED_FILTER", LDAP_DISABLED_FILTER
                                   ).strip(),
        "attributes": attributes,
        "match_field": match_field,
        "create_users": _bool(env, "DIARIUM_LDAP_CREATE_USERS", True),
        # Refuse to deactivate more than this share of the directory's users in one run
        # (a wrong base or filter would otherwise deactivate everyone).
        "max_deactivate_share": float(env.get("DIARIUM_LDAP_MAX_DEACTIVATE_SHARE", 0.2)),
        "profile": {
            "source": "directory", "issuer": "", "match_claim": attributes[match_field],
            "match_field": match_field, "create_users": _bool(env, "DIARIUM_LDAP_CREATE_USERS",
                                                              True),
            "claims": {k: v for k, v in attributes.items() if k not in ("unit", "groups")},
            "groups_claim": attributes["groups"],
            **common,
        },
    }}


def signin_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The settings of single sign-on, the directory sync and two-factor login."""
    common = {"group_roles": _group_roles(env),
              "municipality": env.get("DIARIUM_SSO_MUNICIPALITY", "").strip()}
    found: dict[str, Any] = {**_oidc(env, common), **_saml(env, common), **_ldap(env, common)}
    backends = [LOCAL_BACKEND]
    if found["OIDC_ENABLED"]:
        backends.append(OIDC_BACKEND)
    if found["SAML_ENABLED"]:
        backends.append(SAML_BACKEND)
    found["AUTHENTICATION_BACKENDS"] = backends
    found["REQUIRE_2FA_FOR_ADMINS"] = _bool(env, "DIARIUM_REQUIRE_2FA_FOR_ADMINS")
    found["OTP_TOTP_ISSUER"] = env.get("DIARIUM_OTP_ISSUER", "Diarium").strip() or "Diarium"
    found["LDAP_SYNC_EVERY"] = env.get("DIARIUM_LDAP_SYNC_EVERY", "").strip()
    return found
