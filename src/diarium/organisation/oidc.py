"""Sign-in with OpenID Connect (Entra ID, Keycloak, AD FS, …) through mozilla-django-oidc:
the authorization code flow with PKCE, the ID token's signature checked against the
provider's keys, its audience and (when DIARIUM_OIDC_ISSUER is set) its issuer checked too.
Who the person is and what roles they get is identity.py's, shared with SAML and the
directory sync; the settings come from DIARIUM_OIDC_* (signin_conf.py)."""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from diarium.core.actors import SIGNIN
from diarium.organisation import identity
from diarium.organisation.models import User

log = logging.getLogger(__name__)


class OidcBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs: Any) -> User | None:
        """None (the login page says it failed) for a token that fails a check or a
        provider that does not answer; the reason goes to the log. Only the callback's
        call (with the nonce it kept) is an OIDC login: a password login is not."""
        if "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException, ValueError) as exc:
            log.warning("OpenID Connect sign-in failed: %s", exc)
            return None

    def verify_token(self, token: str, **kwargs: Any) -> dict:
        payload = super().verify_token(token, **kwargs)
        if kwargs.get("nonce") is None:  # the userinfo answer as a JWT: no ID token checks
            return payload
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("the ID token is not meant for this client")
        issuer = settings.OIDC_PROFILE["issuer"]
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation(f"the ID token comes from {payload.get('iss')!r}, "
                                      f"not {issuer!r}")
        self._id_claims = payload
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict) -> dict:
        """The ID token's claims and the userinfo endpoint's together: Entra ID puts the
        groups in the ID token only, Keycloak and AD FS either."""
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict
                           ) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        try:
            return identity.sign_in(SIGNIN, claims, settings.OIDC_PROFILE)
        except identity.Refused as exc:
            log.warning("OpenID Connect sign-in refused: %s", exc)
            return None

    def get_user(self, user_id) -> User | None:
        """A session's user, while active (a deactivated user's sessions end)."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def filter_users_by_claims(self, claims):  # not used: identity.find_user matches
        raise NotImplementedError
