"""Sign-in with the force's OpenID Connect provider, such as Microsoft Entra ID.

The provider proves who the person is, and CPMP decides what they may do. So the backend only
finds an existing, active CPMP account for the signed ID token's claims. It never creates an
account and never changes names or roles from the claims.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import User

logger = logging.getLogger(__name__)

# The claims that may name the account, and the User lookup each one is matched with.
MATCH_LOOKUPS = {
    "preferred_username": "username__iexact",
    "email": "email__iexact",
    "oid": "organisation_identity__object_id__iexact",
}


def match_claim() -> str:
    """Return the claim named by ``CPMP_OIDC_MATCH_CLAIM``, raising if it is not supported."""
    claim = settings.CPMP_OIDC_MATCH_CLAIM
    if claim not in MATCH_LOOKUPS:
        raise ImproperlyConfigured(
            f"CPMP_OIDC_MATCH_CLAIM is {claim!r}. Set it to one of: {', '.join(MATCH_LOOKUPS)}."
        )
    return claim


class OrganisationAccountBackend(OIDCAuthenticationBackend):
    """Authenticate a person by the provider's ID token and map them to their CPMP account."""

    def get_userinfo(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """Return the verified ID token's claims, with the user info endpoint's if one is set.

        The ID token comes first because its signature was checked, and because Entra ID's user
        info endpoint returns neither ``preferred_username`` nor ``oid``.
        """
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            for key, value in super().get_userinfo(access_token, id_token, payload).items():
                claims.setdefault(key, value)
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """Check the token was issued to CPMP by the configured issuer and tenant.

        mozilla-django-oidc 5 checks the signature, expiry and nonce but not the audience or
        the issuer, so both are checked here.
        """
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            logger.warning("organisation sign-in rejected: the token's audience is not CPMP")
            return False
        issuer = settings.CPMP_OIDC_ISSUER
        if issuer and claims.get("iss") != issuer:
            logger.warning("organisation sign-in rejected: unexpected issuer")
            return False
        tenant = settings.CPMP_OIDC_TENANT_ID
        if tenant and claims.get("tid") != tenant:
            logger.warning("organisation sign-in rejected: unexpected tenant")
            return False
        if not isinstance(claims.get(match_claim()), str) or not claims[match_claim()].strip():
            logger.warning("organisation sign-in rejected: the %s claim is missing", match_claim())
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        """Return the active accounts that the match claim names: one, or none to refuse."""
        claim = match_claim()
        value = str(claims.get(claim) or "").strip()
        if not value:
            return User.objects.none()
        users = User.objects.filter(is_active=True, **{MATCH_LOOKUPS[claim]: value})
        if not users.exists():
            logger.info(
                "organisation sign-in rejected: no active account matches the %s claim", claim
            )
        return users

    def describe_user_by_claims(self, claims: dict[str, Any]) -> str:
        # mozilla-django-oidc logs this text, so it leaves out the value: a name or an address.
        return f"the {match_claim()} claim"

    def create_user(self, claims: dict[str, Any]) -> User:
        raise SuspiciousOperation("CPMP never creates an account at sign-in")

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        """Return ``user`` unchanged: names and roles are managed in CPMP, not by the provider."""
        return user
