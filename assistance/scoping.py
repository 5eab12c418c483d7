"""Member jurisdiction of helper accounts (organization.hooks ``member_scopes``).

A work-team account reaches the members of the villages its team is stationed in
while the team is there; a cadre, enterprise or urban-centre account the members its
helper has an active pairing with. Each returns a ``{prefix}pk__in`` subquery, so a
member with two pairings is still one row.
"""

from django.db.models import Q


def paired_members(user, prefix: str = "") -> Q:
    from .models import Helper, Pairing

    helpers = Helper.objects.of_user(user)
    members = Pairing.objects.active().filter(helper__in=helpers).values("member_id")
    return Q(**{f"{prefix}pk__in": members})


def stationed_members(user, prefix: str = "") -> Q:
    from members.models import Member

    from .models import WorkTeam

    teams = WorkTeam.objects.active().of_user(user)
    members = Member.objects.filter(village__work_teams__in=teams).values("pk")
    return Q(**{f"{prefix}pk__in": members})
