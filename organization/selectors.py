"""Reads for the organization area, all starting from the user's scope."""

from django.db.models import Count

from .choices import RegionLevel
from .models import PartyOrganization, Region


def region_counts_by_level(*, user) -> dict[str, int]:
    """How many regions of each level lie in the user's jurisdiction."""
    rows = Region.objects.visible_to(user).values("level").annotate(n=Count("id"))
    counts = dict.fromkeys(RegionLevel.values, 0)
    counts.update({row["level"]: row["n"] for row in rows})
    return counts


def region_children(*, user, region: Region):
    return Region.objects.visible_to(user).filter(parent=region).order_by("code")


def home_summary(*, user) -> dict:
    """What every home page shows: the jurisdiction and what lies in it."""
    counts = region_counts_by_level(user=user)
    return {
        "jurisdiction": user.region,
        "region_counts": [(RegionLevel(level).label, counts[level]) for level in RegionLevel.values],
        "urban_villages": Region.objects.visible_to(user).filter(level=RegionLevel.VILLAGE, is_urban=True).count(),
        "party_organizations": PartyOrganization.objects.visible_to(user).count(),
    }
