"""What a user reads when a training step comes at the wrong time, and when attendance
names a trainee who is not on the roster: states in quotes with the states the step
needs; a trainee named only when the user may see them, never by an internal number."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from tests.members.factories import make_member
from training import services
from training.choices import AttendanceStatus, BatchStatus

from .factories import enrol, make_batch

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> list[str]:
    return error.messages


# --- states ----------------------------------------------------------------------------------------


def test_recommending_to_a_running_batch_says_which_batches_take_recommendations(tree, users):
    batch = make_batch(tree.city, status=BatchStatus.RUNNING)
    with pytest.raises(ValidationError) as error:
        services.enrolment_recommend(actor=users.work_team, batch=batch, member=make_member(tree.a1v))
    assert messages(error.value) == [f"{batch}当前状态为“培训中”，只有“计划中”或“报名中”的培训班才能推荐学员。"]


def test_admitting_twice_names_the_trainee_and_the_state_admission_needs(tree):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    enrolment = enrol(batch, make_member(tree.a1v))
    with pytest.raises(ValidationError) as error:
        services.enrolment_admit(actor=None, enrolment=enrolment)
    assert messages(error.value) == [f"{enrolment.member.name}当前状态为“已录取”，只有“已推荐”的学员才能录取。"]


def test_a_batch_skipping_a_step_is_told_the_next_one(tree):
    batch = make_batch(tree.city)
    with pytest.raises(ValidationError) as error:
        services.batch_advance(actor=None, batch=batch, to_status=BatchStatus.RUNNING)
    assert messages(error.value) == ["培训班当前状态为“计划中”，不能直接改为“培训中”；下一步只能改为“报名中”。"]
    with pytest.raises(ValidationError) as error:
        services.batch_advance(actor=None, batch=batch, to_status=BatchStatus.PLANNED)
    assert messages(error.value) == ["培训班已是“计划中”，无需更改；下一步可改为“报名中”。"]
    finished = make_batch(tree.city, status=BatchStatus.FINISHED)
    with pytest.raises(ValidationError) as error:
        services.batch_advance(actor=None, batch=finished, to_status=BatchStatus.RUNNING)
    assert messages(error.value) == ["该培训班已结束，状态不能再更改。"]


# --- attendance: who is named ---------------------------------------------------------------------


@pytest.fixture
def county_session(tree, users):
    """A 青山县 batch run by the county's staff, with one admitted and one merely recommended
    trainee, and a 白河县 trainee of another county's batch the county staff may not see."""
    batch = make_batch(tree.a, start=date(2026, 3, 1), status=BatchStatus.ENROLLING)
    admitted = enrol(batch, make_member(tree.a1v))
    recommended = enrol(batch, make_member(tree.a1v, name="李秀兰"), admit=False)
    session = services.session_save(actor=None, batch=batch, held_on=date(2026, 3, 2), title="政策理论")
    elsewhere = enrol(make_batch(tree.b, start=date(2026, 3, 1)), make_member(tree.b1v, name="赵白河"))
    return batch, session, admitted, recommended, elsewhere


def test_a_recommended_trainee_of_the_batch_is_named_with_the_batch(county_session, users):
    batch, session, admitted, recommended, _elsewhere = county_session
    with pytest.raises(ValidationError) as error:
        services.attendance_record(
            actor=users.county_staff,
            session=session,
            marks={admitted.pk: AttendanceStatus.PRESENT, recommended.pk: AttendanceStatus.PRESENT},
        )
    assert error.value.message_dict["marks"] == [
        f"李秀兰在{batch}的状态为“已推荐”，只有“已录取”、“已结业”或“考核未通过”的学员才能记考勤。"
    ]
    assert not admitted.attendances.exists()  # all or nothing


def test_a_trainee_outside_the_scope_is_not_named_only_the_number_sent_is_echoed(county_session, users):
    _batch, session, _admitted, _recommended, elsewhere = county_session
    with pytest.raises(ValidationError) as error:
        services.attendance_record(
            actor=users.county_staff, session=session, marks={elsewhere.pk: AttendanceStatus.PRESENT}
        )
    shown = " ".join(error.value.messages)
    assert shown == f"提交的学员编号 {elsewhere.pk} 不在本期录取名单中，请刷新页面后重试。"
    assert "赵白河" not in shown


def test_numbers_that_are_no_trainee_are_echoed_without_a_crash(county_session, users):
    _batch, session, *_ = county_session
    with pytest.raises(ValidationError) as error:
        services.attendance_record(
            actor=users.county_staff,
            session=session,
            marks={"999999": AttendanceStatus.PRESENT, "²": AttendanceStatus.PRESENT},
        )
    assert error.value.message_dict["marks"] == [
        "提交的学员编号 999999 不在本期录取名单中，请刷新页面后重试。",
        "提交的学员编号 ² 不在本期录取名单中，请刷新页面后重试。",
    ]


# --- the same through the API ---------------------------------------------------------------------


def post_marks(user, batch, session, marks):
    api = APIClient()
    api.force_authenticate(user)
    return api.post(
        f"/api/v1/training-batches/{batch.pk}/attendance/", {"session": session.pk, "marks": marks}, format="json"
    )


def test_the_api_names_a_visible_trainee_without_a_seat(county_session, users):
    batch, session, _admitted, recommended, _elsewhere = county_session
    response = post_marks(users.county_staff, batch, session, {str(recommended.pk): "present"})
    assert response.status_code == 400, response.content
    assert response.json()["marks"] == [
        f"李秀兰在{batch}的状态为“已推荐”，只有“已录取”、“已结业”或“考核未通过”的学员才能记考勤。"
    ]


def test_the_api_echoes_what_was_sent_for_a_trainee_outside_the_scope(county_session, users):
    batch, session, _admitted, _recommended, elsewhere = county_session
    response = post_marks(users.county_staff, batch, session, {str(elsewhere.pk): "present"})
    assert response.status_code == 400, response.content
    body = str(response.json())
    assert f"提交的学员编号 {elsewhere.pk} 不在本期录取名单中，请刷新页面后重试。" in body
    assert "赵白河" not in body
    assert f"第{elsewhere.pk}号" not in body
    response = post_marks(users.county_staff, batch, session, {"²": "present"})
    assert response.status_code == 400
    assert "提交的学员编号 ² 不在本期录取名单中" in str(response.json())
    assert not elsewhere.attendances.exists()
