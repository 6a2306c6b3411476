"""allauth's account adapter, changed in one place: an invitation link proves its own address.

Opening a teammate or assessment invitation stashes the invited address in the session
(allauth's `stash_verified_email`). Out of the box allauth then gives the stash to whichever
account signs up next, as its verified primary address, even when the newcomer typed another
address. Here the stash counts only for a sign-up with that very address; any other address
is verified by email as usual, and the stash is spent either way.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

_INVITED = "_backprop_invited_email"  # the stash taken at this sign-up, for is_email_verified


class AccountAdapter(DefaultAccountAdapter):
    def unstash_verified_email(self, request: HttpRequest) -> str | None:
        # allauth's setup_user_email() calls this once per sign-up, before asking
        # is_email_verified() about each address it sets up. Returning None keeps the
        # stashed address off an account registered under another address.
        setattr(request, _INVITED, super().unstash_verified_email(request))
        return None

    def is_email_verified(self, request: HttpRequest, email: str) -> bool:
        invited: str | None = getattr(request, _INVITED, None)
        return invited is not None and invited.lower() == email.lower()
