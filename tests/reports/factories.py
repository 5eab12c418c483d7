"""Programme, plans and exits out of poverty built through the real services."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from members import services as member_services
from members.models import IncomeThreshold, StatusChange
from reports import services

YEAR = 2025


def make_programme(start_year=2024, years=3, phase1_end_year=2025, **fields):
    return services.programme_save(
        actor=None,
        name=fields.pop("name", "示范行动"),
        start_year=start_year,
        years=years,
        phase1_end_year=phase1_end_year,
        **fields,
    )


def make_plan(region, year=YEAR, out=2, **targets):
    return services.plan_save(actor=None, region=region, year=year, target_out_of_poverty=out, **targets)


def make_exit(member, year=YEAR, income=Decimal("6000")):
    """Take ``member`` out of poverty through an income check of ``year`` and a confirmed notice."""
    if not IncomeThreshold.objects.filter(year=year).exists():
        member_services.threshold_set(actor=None, year=year, out_of_poverty=Decimal("4000"), well_off=Decimal("12000"))
    member_services.income_check_record(actor=None, member=member, year=year, income_per_head=income)
    change = member.status_changes.get(state="noticing")
    past = timezone.localdate() - timedelta(days=30)
    StatusChange.objects.filter(pk=change.pk).update(notice_starts=past, notice_ends=past + timedelta(days=6))
    change.refresh_from_db()
    return member_services.status_change_confirm(actor=None, status_change=change)
