"""Reports pages: plans, dashboard, bulletins, admonitions, commendations, the work list."""

from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from members.choices import Status
from reports import services
from reports.choices import AdmonitionState, BulletinState, CommendationState, RectificationState
from reports.models import Admonition, BulletinJob, Commendation, JurisdictionPlan, Programme
from tests.members.factories import make_member

from .factories import YEAR, make_exit, make_plan, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def register(tree):
    make_programme()
    a = [make_member(tree.a1v, name=f"青山党员{i}") for i in range(3)]
    b = [make_member(tree.b1v, name=f"白河党员{i}") for i in range(2)]
    make_exit(a[0])
    make_exit(a[1])
    make_exit(b[0])
    make_plan(tree.a, out=2)
    make_plan(tree.a1, out=4)
    make_plan(tree.b, out=3)
    return a, b


def login(client, user):
    client.force_login(user)
    return client


# --- programme and plans --------------------------------------------------------------


def test_city_staff_configure_the_programme_and_counties_cannot(client, users):
    login(client, users.city_staff)
    response = client.post(
        reverse("reports:programme_add"),
        {
            "name": "示范行动",
            "start_year": 2024,
            "years": 3,
            "phase1_end_year": 2028,
            "bulletin_month": 1,
            "bulletin_day": 15,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "不能晚于周期最后一年" in response.content.decode()
    assert not Programme.objects.exists()
    response = client.post(
        reverse("reports:programme_add"),
        {
            "name": "示范行动",
            "start_year": 2024,
            "years": 3,
            "phase1_end_year": 2025,
            "bulletin_month": 1,
            "bulletin_day": 15,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get()
    assert list(programme.year_range) == [2024, 2025, 2026]
    assert programme.phase_of(2026) == 2
    login(client, users.county_staff)
    assert client.get(reverse("reports:programme_add")).status_code == 403


def test_a_county_sets_its_own_plans_only(client, users, tree):
    make_programme()
    login(client, users.county_staff)
    data = {
        "region": tree.a1.pk,
        "year": 2025,
        "target_out_of_poverty": 5,
        "target_trained": 8,
        "target_projects": 3,
        "target_mentor_pairs": 0,
        "note": "",
    }
    assert client.post(reverse("reports:plan_add"), data).status_code == 302
    plan = JurisdictionPlan.objects.get()
    assert (plan.region, plan.year, plan.target_out_of_poverty, plan.created_by) == (
        tree.a1,
        2025,
        5,
        users.county_staff,
    )
    # another county's township is not even a choice
    response = client.post(reverse("reports:plan_add"), {**data, "region": tree.b1.pk})
    assert response.status_code == 200
    assert JurisdictionPlan.objects.count() == 1
    # a year outside the programme, and a second plan for the same place and year
    response = client.post(reverse("reports:plan_add"), {**data, "year": 2030})
    assert "行动周期 2024—2026 年之内" in response.content.decode()
    response = client.post(reverse("reports:plan_add"), data)
    assert "已有规划" in response.content.decode()
    # a change keeps history
    edit = {**data, "target_out_of_poverty": 6}
    assert client.post(reverse("reports:plan_edit", args=[plan.pk]), edit).status_code == 302
    plan.refresh_from_db()
    assert plan.target_out_of_poverty == 6
    assert plan.history.count() == 2
    assert client.get(reverse("reports:plan_history", args=[plan.pk])).status_code == 200


def test_plan_without_a_programme_says_so(tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="尚未配置行动周期"):
        services.plan_save(actor=None, region=tree.a, year=2025, target_out_of_poverty=1)


def test_plan_lists_are_scoped(client, users, register, tree):
    login(client, users.county_staff)
    content = client.get(reverse("reports:plan_list")).content.decode()
    assert "青山县" in content
    assert "白河县" not in content
    login(client, users.city_staff)
    content = client.get(reverse("reports:plan_list")).content.decode()
    assert "青山县" in content
    assert "白河县" in content
    plan_b = JurisdictionPlan.objects.get(region=tree.b)
    login(client, users.county_staff)
    assert client.get(reverse("reports:plan_detail", args=[plan_b.pk])).status_code == 404


# --- dashboard ------------------------------------------------------------------------


def test_the_city_dashboard_shows_each_county_with_links_to_the_lists(client, users, register, tree):
    login(client, users.leader)
    response = client.get(reverse("reports:dashboard") + f"?year={YEAR}")
    assert response.status_code == 200
    report = response.context["report"]
    assert [(r.region.name, r.counts["total"], r.exits, r.target, r.rate, r.met) for r in report.ranked()] == [
        ("青山县", 3, 2, 2, 100.0, True),
        ("白河县", 2, 1, 3, 33.3, False),
    ]
    assert report.total.counts["total"] == 5
    assert report.total.exits == 3
    content = response.content.decode()
    members = reverse("members:member_list")
    assert f'href="{members}?county={tree.a.pk}&amp;status={Status.POOR}"' in content
    assert reverse("reports:dashboard_region", args=[tree.a.code]) in content
    assert "<svg" in content  # charts drawn on the server
    assert "第一阶段：脱困示范" in content


def test_the_dashboard_drills_down_to_the_village(client, users, register, tree):
    login(client, users.leader)
    response = client.get(reverse("reports:dashboard_region", args=[tree.a.code]) + f"?year={YEAR}")
    rows = response.context["report"].ranked()
    assert [(r.region.name, r.counts["total"], r.exits, r.target) for r in rows] == [("青石镇", 3, 2, 4)]
    response = client.get(reverse("reports:dashboard_region", args=[tree.a1.code]) + f"?year={YEAR}")
    assert {r.region.name: r.counts.get("total", 0) for r in response.context["report"].rows} == {
        "张庄村": 3,
        "建设路社区": 0,
    }
    response = client.get(reverse("reports:dashboard_region", args=[tree.a1v.code]) + f"?year={YEAR}")
    assert response.status_code == 200
    total = response.context["report"].total
    assert (total.counts["total"], total.counts["out"], total.exits) == (3, 2, 2)


def test_a_county_leader_sees_only_the_county(client, users, register, tree):
    login(client, users.county_staff)
    response = client.get(reverse("reports:dashboard"))
    assert response.context["object"] == tree.a
    assert "白河" not in response.content.decode()
    assert client.get(reverse("reports:dashboard_region", args=[tree.city.code])).status_code == 404
    assert client.get(reverse("reports:dashboard_region", args=[tree.b.code])).status_code == 404
    assert client.get(reverse("reports:dashboard_export", args=[tree.b.code])).status_code == 404


def test_roles_without_the_dashboard_get_403(client, users, register):
    login(client, users.expert)
    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_a_bad_year_falls_back_instead_of_failing(client, users, register):
    login(client, users.leader)
    assert client.get(reverse("reports:dashboard") + "?year=abc").status_code == 200
    assert client.get(reverse("reports:dashboard") + "?year=99999").status_code == 200


def test_the_dashboard_exports_its_table(client, users, register, tree):
    login(client, users.leader)
    response = client.get(reverse("reports:dashboard_export", args=[tree.city.code]) + f"?year={YEAR}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[2], r[10], r[11]) for r in rows] == [
        ("青山县", 3, 2, "100.0%"),
        ("白河县", 2, 1, "33.3%"),
        ("合计", 5, 3, "—"),
    ]


def _grow(tree, extra):
    for i in range(extra):
        make_member(tree.b1v if i % 2 else tree.a1c, name=f"加量{i}")


def test_dashboard_query_count_does_not_grow_with_the_data(
    client, users, register, tree, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, users.leader)
    url = reverse("reports:dashboard") + f"?year={YEAR}"
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _grow(tree, 20)
    with django_assert_max_num_queries(15), CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.context["report"].total.counts["total"] == 25
    assert len(large) == len(small)


# --- bulletins ------------------------------------------------------------------------


def test_a_county_produces_and_downloads_its_own_bulletin(
    client, users, register, tree, django_capture_on_commit_callbacks
):
    login(client, users.county_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:bulletin_request"), {"year": YEAR, "region": tree.a.pk})
    job = BulletinJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    status = client.get(reverse("reports:bulletin_status", args=[job.pk])).json()
    assert status["state"] == BulletinState.DONE
    assert status["progress"] == 100
    page = client.get(job.get_absolute_url()).content.decode()
    assert "青石镇" in page
    assert "下载 Word" in page
    download = client.get(reverse("reports:bulletin_download", args=[job.pk, "docx"]))
    import io

    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(download.streaming_content))).paragraphs)
    assert "青山县2025年度" in text
    assert client.get(reverse("reports:bulletin_download", args=[job.pk, "pdf"])).status_code == 404
    # the other county sees neither the job nor its files
    login(client, users.county_b)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:bulletin_download", args=[job.pk, "xlsx"])).status_code == 404


def test_a_county_cannot_ask_for_the_city_bulletin_through_the_page(client, users, register, tree):
    login(client, users.county_staff)
    response = client.post(reverse("reports:bulletin_request"), {"year": YEAR, "region": tree.city.pk})
    assert response.status_code == 200
    assert not BulletinJob.objects.exists()
    response = client.post(reverse("reports:bulletin_request"), {"year": "", "region": tree.a.pk})
    assert response.status_code == 200
    assert "year" in response.context["form"].errors


def test_a_running_bulletin_page_refreshes_and_shows_progress(client, users, register, tree):
    job = services.bulletin_request(actor=None, year=YEAR, region=tree.a, enqueue=False)
    BulletinJob.objects.filter(pk=job.pk).update(state=BulletinState.RUNNING, progress=30, progress_note="正在生成")
    login(client, users.county_staff)
    content = client.get(job.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' in content
    assert "30%" in content
    assert "下载 Word" not in content
    assert client.get(reverse("reports:bulletin_download", args=[job.pk, "docx"])).status_code == 404


# --- admonitions and rectification ----------------------------------------------------


def test_admonition_from_proposal_to_closed_rectification(
    client, users, register, tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_request(actor=None, year=YEAR, region=tree.city)
    admonition = Admonition.objects.get(region=tree.b)
    login(client, users.county_b)
    url = admonition.get_absolute_url()
    # a talk cannot be recorded before staff confirm the proposal
    response = client.post(
        reverse("reports:admonition_talk", args=[admonition.pk]),
        {"talked_on": "2026-01-05", "talked_by": "李明", "explanation": "说明"},
    )
    assert "确认后才能登记谈话情况" in response.content.decode()
    assert (
        client.post(
            reverse("reports:admonition_edit", args=[admonition.pk]),
            {
                "year": YEAR,
                "region": tree.b.pk,
                "person_name": "周卫国",
                "person_post": "组织部副部长",
                "reason": admonition.reason,
            },
        ).status_code
        == 302
    )
    assert client.post(reverse("reports:admonition_confirm", args=[admonition.pk]), {}).status_code == 302
    today = timezone.localdate()
    response = client.post(
        reverse("reports:admonition_talk", args=[admonition.pk]),
        {"talked_on": (today + timedelta(days=1)).isoformat(), "talked_by": "李明", "explanation": "说明"},
    )
    assert response.context["form"].errors["talked_on"] == ["谈话日期不能晚于今天。"]
    assert (
        client.post(
            reverse("reports:admonition_talk", args=[admonition.pk]),
            {"talked_on": today.isoformat(), "talked_by": "市委组织部 李明", "explanation": "项目落地晚"},
        ).status_code
        == 302
    )
    response = client.post(
        reverse("reports:rectification_file", args=[admonition.pk]),
        {"measures": "逐村核查", "deadline": today.isoformat()},
    )
    assert "整改期限应晚于今天" in response.content.decode()
    assert (
        client.post(
            reverse("reports:rectification_file", args=[admonition.pk]),
            {"measures": "逐村核查", "deadline": (today + timedelta(days=30)).isoformat()},
        ).status_code
        == 302
    )
    admonition.refresh_from_db()
    plan = admonition.rectification
    assert admonition.state == AdmonitionState.TALKED
    assert admonition.person_name == "周卫国"
    # the rectification deadline is on the person's work list
    home = client.get(reverse("home")).content.decode()
    assert "整改期限" in home
    assert plan.get_absolute_url() in home
    assert (
        client.post(
            reverse("reports:rectification_follow_up", args=[plan.pk]), {"note": "已完成核查", "close": "on"}
        ).status_code
        == 302
    )
    plan.refresh_from_db()
    assert plan.state == RectificationState.CLOSED
    assert "已完成核查" in plan.follow_up
    assert "已销号" in client.get(url).content.decode()
    # 青山县 cannot reach it
    login(client, users.county_staff)
    assert client.get(url).status_code == 404
    assert client.post(reverse("reports:admonition_confirm", args=[admonition.pk]), {}).status_code == 404


def test_dismissing_a_proposal_needs_a_reason(client, users, tree):
    admonition = services.admonition_save(actor=None, year=YEAR, region=tree.a, person_name="某人", reason="未完成")
    login(client, users.county_staff)
    response = client.post(reverse("reports:admonition_dismiss", args=[admonition.pk]), {"note": ""})
    assert response.status_code == 200
    assert "必须说明理由" in response.content.decode()
    client.post(reverse("reports:admonition_dismiss", args=[admonition.pk]), {"note": "客观原因，经研究不予谈话"})
    admonition.refresh_from_db()
    assert admonition.state == AdmonitionState.DISMISSED


# --- commendations --------------------------------------------------------------------


def test_commendation_notice_objection_and_confirmation(client, users, tree):
    login(client, users.county_staff)
    response = client.post(
        reverse("reports:commendation_add"),
        {"year": YEAR, "kind": "person", "region": tree.a1.pk, "name": "王建国", "reason": "帮助12人脱贫"},
    )
    assert response.status_code == 302
    commendation = Commendation.objects.get()
    # confirming before any notice is refused
    response = client.post(reverse("reports:commendation_confirm", args=[commendation.pk]), {"note": ""})
    assert "公示后才能确认表彰" in response.content.decode()
    client.post(reverse("reports:commendation_announce", args=[commendation.pk]), {})
    commendation.refresh_from_db()
    assert commendation.state == CommendationState.NOTICING
    assert commendation.notice_ends > timezone.localdate()
    client.post(
        reverse("reports:commendation_objection_add", args=[commendation.pk]),
        {"raised_by": "村民甲", "content": "事迹有出入"},
    )
    objection = commendation.objections.get()
    response = client.post(reverse("reports:commendation_confirm", args=[commendation.pk]), {"note": ""})
    assert "期满后才能确认" in response.content.decode()
    Commendation.objects.filter(pk=commendation.pk).update(
        notice_starts=timezone.localdate() - timedelta(days=10), notice_ends=timezone.localdate() - timedelta(days=3)
    )
    response = client.post(reverse("reports:commendation_confirm", args=[commendation.pk]), {"note": ""})
    assert "未核实处理的异议" in response.content.decode()
    client.post(reverse("reports:commendation_objection_resolve", args=[objection.pk]), {"resolution": "经核实属实"})
    assert (
        client.post(reverse("reports:commendation_confirm", args=[commendation.pk]), {"note": "无异议"}).status_code
        == 302
    )
    commendation.refresh_from_db()
    assert commendation.state == CommendationState.CONFIRMED
    assert commendation.decided_by == users.county_staff
    # and the bulletin lists it
    job = services.bulletin_request(actor=None, year=YEAR, region=tree.a, enqueue=False)
    from reports.tasks import generate_bulletin

    generate_bulletin(job.pk)
    job.refresh_from_db()
    assert job.summary["commendations"][0]["name"] == "王建国"


def test_a_county_cannot_commend_in_another_county(client, users, tree):
    login(client, users.county_staff)
    response = client.post(
        reverse("reports:commendation_add"),
        {"year": YEAR, "kind": "person", "region": tree.b1.pk, "name": "外县人", "reason": "事迹"},
    )
    assert response.status_code == 200
    assert not Commendation.objects.exists()


# --- work list ------------------------------------------------------------------------


def test_home_lists_notices_ending_and_admonitions_to_confirm(client, users, register, tree):
    member = make_member(tree.a1v, name="公示中党员")
    from decimal import Decimal

    from members import services as member_services

    member_services.income_check_record(actor=None, member=member, year=YEAR, income_per_head=Decimal("5000"))
    later = make_member(tree.a1v, name="刚公示党员")
    member_services.income_check_record(actor=None, member=later, year=YEAR, income_per_head=Decimal("5000"))
    # one notice ends tomorrow (due), the other in a week (not yet)
    member.status_changes.update(notice_ends=timezone.localdate() + timedelta(days=1))
    services.admonition_save(actor=None, year=YEAR, region=tree.a1, person_name="某责任人", reason="未完成")
    login(client, users.county_staff)
    content = client.get(reverse("home")).content.decode()
    assert 'data-testid="work-list"' in content
    assert "公示即将期满" in content
    assert "公示中党员" in content
    assert "刚公示党员" not in content
    assert "确认诫勉谈话建议" in content
    login(client, users.county_b)
    content = client.get(reverse("home")).content.decode()
    assert "公示中党员" not in content
    assert "某责任人" not in content


def test_forms_and_history_pages_render(client, users, tree, register):
    admonition = services.admonition_save(actor=None, year=YEAR, region=tree.a, person_name="某人", reason="未完成")
    services.admonition_confirm(actor=users.city_staff, admonition=admonition)
    plan = JurisdictionPlan.objects.get(region=tree.a)
    client.force_login(users.city_staff)
    for name in (
        "plan_add",
        "admonition_add",
        "commendation_add",
        "evaluation_add",
        "programme_add",
        "bulletin_request",
    ):
        assert client.get(reverse(f"reports:{name}")).status_code == 200, name
    for name, pk in (
        ("plan_history", plan.pk),
        ("plan_edit", plan.pk),
        ("admonition_history", admonition.pk),
        ("admonition_edit", admonition.pk),
        ("programme_history", Programme.objects.get().pk),
    ):
        response = client.get(reverse(f"reports:{name}", args=[pk]))
        assert response.status_code == 200, name
    history = client.get(reverse("reports:admonition_history", args=[admonition.pk])).content.decode()
    # the history page names the states as users know them, not by their stored codes
    assert "通报建议，待确认 → 已确认，待谈话" in history
    assert "proposed" not in history
    assert str(users.city_staff) in history


def test_admin_pages_for_data_repair(client, tree, register, django_user_model):
    admin = django_user_model.objects.create_superuser(username="root", password="x-Very-long-1", display_name="root")
    client.force_login(admin)
    for model in ("programme", "jurisdictionplan", "bulletinjob", "admonition", "commendation", "evaluation"):
        assert client.get(f"/admin/reports/{model}/").status_code == 200, model
    plan = JurisdictionPlan.objects.first()
    assert client.get(f"/admin/reports/jurisdictionplan/{plan.pk}/change/").status_code == 200
