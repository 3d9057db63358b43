"""Sign-in with SAML 2.0 through djangosaml2 (pysaml2, which signs and checks signatures
with Debian's xmlsec1): the SP-initiated Web SSO profile, the assertion's signature
required. Who the person is and what roles they get is identity.py's, shared with OpenID
Connect and the directory sync; the settings come from DIARIUM_SAML_* (signin_conf.py).
The match attribute `NameID` means the assertion's subject."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from djangosaml2.backends import Saml2Backend

from diarium.core.actors import SIGNIN
from diarium.organisation import identity
from diarium.organisation.models import User

log = logging.getLogger(__name__)


class SamlBackend(Saml2Backend):
    def authenticate(self, request, session_info=None, attribute_mapping=None,
                     create_unknown_user=True, assertion_info=None, **kwargs: Any
                     ) -> User | None:
        if not session_info or "ava" not in session_info:
            return None
        claims = dict(session_info["ava"])
        name_id = session_info.get("name_id")
        claims["NameID"] = [getattr(name_id, "text", "") or ""]
        try:
            return identity.sign_in(SIGNIN, claims, settings.SAML_PROFILE)
        except identity.Refused as exc:
            log.warning("SAML sign-in refused (%s): %s", session_info.get("issuer"), exc)
            return None

    def get_user(self, user_id) -> User | None:
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None
