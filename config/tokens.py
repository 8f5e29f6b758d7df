"""API tokens end with the session's reasons to end: every token of a user goes on logout
(page or API), a password change and deactivation, from any process (a management
command, a worker), not only once the URLs are loaded.

The receivers are connected when core's app is ready (core.apps). This module imports
no app of the project, so any app may load it without a way back into the others.
"""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver
from knox.models import get_token_model

logger = logging.getLogger("laborcase.signin")


def tokens_revoke(*, user) -> int:
    """Deletes every API token of the user; returns how many there were."""
    if user is None or user.pk is None:
        return 0
    deleted, _ = get_token_model().objects.filter(user=user).delete()
    if deleted:
        logger.info("revoked %d API token(s) of %s", deleted, user.get_username())
    return deleted


@receiver(user_logged_out)
def _revoke_on_logout(sender, request, user, **kwargs):
    tokens_revoke(user=user)


@receiver(post_save, sender=get_user_model())
def _revoke_on_password_change_or_deactivation(sender, instance, created, **kwargs):
    # set_password() leaves the raw password on the instance until save() has run
    # password_changed(); a hash upgraded at sign-in (check_password) does not, so a
    # user's first sign-in under Argon2 keeps their tokens.
    if created:
        return
    if getattr(instance, "_password", None) is not None or not instance.is_active:
        tokens_revoke(user=instance)
