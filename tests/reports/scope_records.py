"""Reports records outside 青山县, for the out-of-scope walk (tests/test_out_of_scope.py)."""

from datetime import timedelta

from django.utils import timezone

from reports import services
from reports.models import (
    Admonition,
    BulletinJob,
    Commendation,
    CommendationObjection,
    Evaluation,
    JurisdictionPlan,
    Programme,
    RectificationPlan,
)

# The programme is the city's one setting: every account sees it.
SHARED_MODELS = {Programme}
OTHER_ARGUMENTS = {"kind": "docx"}


def foreign_records(tree, users, records) -> dict:
    services.programme_save(actor=None, name="示范行动", start_year=2024, years=3, phase1_end_year=2025)
    plan = services.plan_save(actor=None, region=tree.b, year=2025, target_out_of_poverty=3)
    job = BulletinJob.objects.create(year=2025, region=tree.b, state="done", docx="x.docx", xlsx="x.xlsx")
    admonition = services.admonition_save(
        actor=None, year=2025, region=tree.b, person_name="白河县责任人", reason="未完成目标"
    )
    services.admonition_confirm(actor=None, admonition=admonition)
    services.admonition_record_talk(
        actor=None, admonition=admonition, talked_on=timezone.localdate(), talked_by="市委组织部", explanation="说明"
    )
    rectification = services.rectification_file(
        actor=None, admonition=admonition, measures="整改措施", deadline=timezone.localdate() + timedelta(days=30)
    )
    commendation = services.commendation_propose(
        actor=None, year=2025, kind="person", region=tree.b, name="白河县先进个人", reason="事迹"
    )
    services.commendation_announce(actor=None, commendation=commendation)
    objection = services.commendation_objection_record(
        actor=None, commendation=commendation, raised_by="白河县村民", content="白河县表彰异议"
    )
    from tests.organization.factories import PartyOrganizationFactory

    organization = PartyOrganizationFactory(region=tree.b1, name="中共白沙镇委员会")
    evaluation = services.evaluation_create(
        actor=None, year=2025, subject_kind="party_organization", party_organization=organization
    )
    return {
        Evaluation: evaluation,
        JurisdictionPlan: plan,
        BulletinJob: job,
        Admonition: Admonition.objects.get(pk=admonition.pk),
        RectificationPlan: rectification,
        Commendation: Commendation.objects.get(pk=commendation.pk),
        CommendationObjection: objection,
    }
