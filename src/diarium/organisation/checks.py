"""`diarium check --deploy`: the sign-in configuration (docs/sign-in.md). Errors, like the
rest of the deployment checks: single sign-on over plain HTTP, a directory read over plain
LDAP with a password, and SAML without secure cookies (its SameSite=None cookie is dropped
by browsers, so every SAML login would fail)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def signin_checks(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    if settings.OIDC_ENABLED:
        plain = [name for name in ("OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT",
                                   "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT")
                 if str(getattr(settings, name) or "").startswith("http://")]
        if plain:
            errors.append(Error(f"OpenID Connect endpoints over plain HTTP: {', '.join(plain)}",
                                hint="Use the provider's https:// addresses.",
                                id="diarium.organisation.E001"))
    if settings.SAML_ENABLED and not settings.SESSION_COOKIE_SECURE:
        errors.append(Error("SAML is on without secure cookies: browsers drop its "
                            "SameSite=None cookie, so SAML logins fail.",
                            hint="Serve Diarium over HTTPS with DIARIUM_SECURE_COOKIES=on.",
                            id="diarium.organisation.E002"))
    sync = settings.LDAP_SYNC
    if sync and sync["bind_password"] and sync["url"].startswith("ldap://") \
            and not sync["start_tls"]:
        errors.append(Error("The directory's password is sent over plain LDAP.",
                            hint="Use ldaps:// or DIARIUM_LDAP_START_TLS=on.",
                            id="diarium.organisation.E003"))
    return errors
