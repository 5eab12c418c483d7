"""Who sees which training records.

Batches, experts and practice bases belong to a region: the one that runs the batch,
the level of the expert team, the place of the base. Everyone on that region's line
sees them (the accounts above it, at it and below it: a village work team sees the
city's batches), but only accounts at or above it may change them (a county clerk
cannot change the city school's batch). Records about members (enrolments,
attendance, services, visits) follow the members (members.models.member_scope_q).
"""

from django.db.models import Q

from members.choices import Track
from organization.choices import RegionLevel
from organization.models import PATH_SEPARATOR


def ancestor_paths(path: str) -> list[str]:
    """``/a/b/c/`` → ``["/a/", "/a/b/", "/a/b/c/"]``: the region and everything above it."""
    codes = [code for code in path.split(PATH_SEPARATOR) if code]
    return [PATH_SEPARATOR + PATH_SEPARATOR.join(codes[: i + 1]) + PATH_SEPARATOR for i in range(len(codes))]


def region_line_q(user, prefix: str = "") -> Q:
    """Records whose region is above, at or below the user's jurisdiction."""
    region = user.region
    if region is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}region__path__in": ancestor_paths(region.path)}) | Q(
        **{f"{prefix}region__path__startswith": region.path}
    )


def region_below_q(user, prefix: str = "") -> Q:
    """Records whose region is at or below the user's jurisdiction: the ones they run."""
    region = user.region
    if region is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}region__path__startswith": region.path})


def expert_member_q(user, prefix: str = "") -> Q:
    """An expert account reaches the demonstration-track members of its region.

    Registered as ``member_scopes`` for Role.EXPERT; it is called from Member.scope_q,
    so it filters Member directly (through the denormalized keys) and never through
    ``visible_to``.
    """
    from members.models import Member

    region = user.region
    if region is None:
        return Q(**{f"{prefix}pk__in": []})
    field = {
        RegionLevel.CITY: "county__parent",
        RegionLevel.COUNTY: "county",
        RegionLevel.TOWNSHIP: "township",
        RegionLevel.VILLAGE: "village",
    }[region.level]
    members = Member.objects.filter(**{field: region, "track": Track.DEMONSTRATION}).values("pk")
    return Q(**{f"{prefix}pk__in": members})
