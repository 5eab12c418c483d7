"""``manage.py fill_city``: a small city is made in bulk, keeps the models' rules and renders."""

import io

import pytest
from django.core.management import CommandError, call_command

from assistance.models import Pairing, VisitNote, WorkTeam
from fund import selectors as fund_selectors
from fund.models import Fund, FundEntry
from members import idnumbers
from members.models import FileNumberSequence, Member
from organization.choices import RegionLevel
from organization.models import Region, User
from projects.models import IncomeProject
from training.models import Enrolment


@pytest.mark.django_db
def test_fill_city_makes_a_valid_city_that_renders(client, django_assert_max_num_queries):
    out = io.StringIO()
    call_command("fill_city", members=200, stdout=out)
    assert "党员: 200" in out.getvalue()
    members = list(Member.objects.select_related("village__parent__parent"))
    assert len(members) == 200
    # Proportions: a fifth of the able trained, a tenth with a project, everyone with a work team.
    assert 10 <= Enrolment.objects.count() <= 40
    assert 5 <= IncomeProject.objects.count() <= 20
    assert WorkTeam.objects.exists()
    assert Pairing.objects.count() == 50
    assert VisitNote.objects.count() > 150
    assert len({m.file_number for m in members}) == 200
    for member in members:
        assert idnumbers.validate(member.id_number) == member.id_number
        assert (member.township, member.county) == (member.village.parent, member.village.parent.parent)
    for sequence in FileNumberSequence.objects.all():
        assert Member.objects.filter(county_id=sequence.county_id).count() == sequence.last
    for member in members[:20]:
        member.full_clean()
    for fund in Fund.objects.all():
        assert all(balance.free >= 0 for balance in fund_selectors.fund_balances(fund).sources.values())
    assert FundEntry.objects.exists()

    client.force_login(User.objects.get(username="leader"))
    city = Region.objects.get(level=RegionLevel.CITY)
    with django_assert_max_num_queries(15):
        assert client.get(f"/reports/dashboard/{city.code}/?year=2025").status_code == 200
    staff = User.objects.get(username="city_staff")
    client.force_login(staff)
    busy = VisitNote.objects.values_list("member_id", flat=True).order_by("member_id").first()
    response = client.get(f"/members/{busy}/")
    assert response.status_code == 200
    assert Member.objects.get(pk=busy).name in response.content.decode()


@pytest.mark.django_db
def test_fill_city_refuses_under_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="禁止"):
        call_command("fill_city", members=10, stdout=io.StringIO())
    assert not Member.objects.exists()
