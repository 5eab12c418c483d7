"""One record of each routed projects model outside 青山县 (tests/test_out_of_scope.py)."""

from projects import services
from projects.models import IncomeProject, ProgressReport, ProjectReview, ProjectSupport

from .factories import make_project

PARENT_ARGUMENTS = {"project_pk": IncomeProject}


def foreign_records(tree, users, records) -> dict:
    from members.models import Member

    project = make_project(records[Member], stage="running", title="白河县香菇种植")
    support = services.support_record(
        actor=None, project=project, kind="money", giver_name="白河县企业", giver_kind="enterprise", value="888.88"
    )
    report = services.progress_record(actor=None, project=project, text="白河县进展", income_to_date="777.77")
    return {
        IncomeProject: project,
        ProjectReview: project.reviews.get(),
        ProjectSupport: support,
        ProgressReport: report,
    }
