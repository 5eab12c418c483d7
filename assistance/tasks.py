"""Celery tasks of the assistance area."""

from celery import shared_task


@shared_task(name="assistance.propose_referrals")
def propose_referrals() -> int:
    """Daily: propose a social-relief referral for each member who is 60 or over and has no
    source of living, for staff to confirm or dismiss. Idempotent: a member with a proposal,
    a referral or a dismissal is not proposed again."""
    from . import services

    return services.referrals_propose()


@shared_task(name="assistance.pair_key_targets")
def pair_key_targets() -> int:
    """Daily: each trainee who completed a course becomes a key assistance target (重点帮扶对象)
    of the work team that recommended them: paired once, marked if already paired. Idempotent."""
    from . import services

    return services.key_targets_pair()
