"""Reads about members, all starting from the user's scope."""

from django.db.models import Prefetch

from .models import Member, PovertyExitPlan


def member_list(*, user, filters=None, request=None):
    """The register as the user may see it, filtered like the list page."""
    from .filtersets import MemberFilterSet

    queryset = Member.objects.visible_to(user).select_related("village", "township", "county")
    if filters is not None:
        queryset = MemberFilterSet(filters, queryset=queryset, request=request).qs
    return queryset


def possible_duplicates(*, user, name: str, birth_date, township, exclude_pk=None):
    """Members with the same name and birth date in the same township: perhaps one person twice."""
    queryset = Member.objects.filter(name=name, birth_date=birth_date, township=township)
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.visible_to(user).select_related("village")


def member_file(*, user, pk):
    """One member with everything the file page shows, in a fixed number of queries."""
    return (
        Member.objects.visible_to(user)
        .select_related("village", "township", "county", "party_organization")
        .prefetch_related(
            "household",
            Prefetch("plans", queryset=PovertyExitPlan.objects.select_related("created_by")),
            "income_checks",
            "status_changes__objections",
            "track_decisions__decided_by",
        )
        .get(pk=pk)
    )


def id_number_registered(*, id_number: str) -> bool:
    """Whether anyone in the city has a file under this number (names no one)."""
    return Member.objects.filter(id_number=id_number).exists()
