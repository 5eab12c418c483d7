"""django-import-export resources: the register's columns for the admin's export.

The register *import* does not go through ``MemberResource.import_data``; it has its own
bulk pipeline in members.importing. Measured on this project's machines (performance
notes, A1): import-export's default import ran at ~430 rows/s (an instance SELECT, a
deep-copied diff and a savepoint per row), its bulk mode needs ``skip_diff`` and so
loses row-by-row reporting, and ``skip_unchanged`` never fires for Excel files read by
openpyxl, whose datetimes never equal the model's dates, so a re-import would rewrite
every file and add a history row for each. The pipeline reads with python-calamine
(dates as dates), compares typed values, and writes in bulk with history, at a fixed
number of queries per 1,000 rows.

The headers here are the standard register's (members.register_columns.EXPORT_COLUMNS),
so a file exported from the admin can be imported back unchanged.
"""

from import_export import fields, resources

from . import idnumbers
from .exporting import escape_formula
from .models import Member
from .register_columns import EXPORT_COLUMNS

HEADERS = {key: header for header, key in EXPORT_COLUMNS}


def _display(name):
    def dehydrate(self, member):
        return getattr(member, f"get_{name}_display")()

    return dehydrate


class MemberResource(resources.ModelResource):
    """One member per row, Chinese headers, choice labels, ID numbers masked unless revealed."""

    file_number = fields.Field(attribute="file_number", column_name=HEADERS["file_number"])
    name = fields.Field(attribute="name", column_name=HEADERS["name"])
    gender = fields.Field(column_name=HEADERS["gender"])
    ethnicity = fields.Field(attribute="ethnicity", column_name=HEADERS["ethnicity"])
    birth_date = fields.Field(attribute="birth_date", column_name=HEADERS["birth_date"])
    id_number = fields.Field(column_name=HEADERS["id_number"])
    phone = fields.Field(attribute="phone", column_name=HEADERS["phone"])
    party_branch = fields.Field(attribute="party_branch", column_name=HEADERS["party_branch"])
    joined_party_on = fields.Field(attribute="joined_party_on", column_name=HEADERS["joined_party_on"])
    education = fields.Field(column_name=HEADERS["education"])
    health = fields.Field(column_name=HEADERS["health"])
    labour_capacity = fields.Field(column_name=HEADERS["labour_capacity"])
    household_size = fields.Field(attribute="household_size", column_name=HEADERS["household_size"])
    county = fields.Field(attribute="county__name", column_name=HEADERS["county"])
    township = fields.Field(attribute="township__name", column_name=HEADERS["township"])
    village = fields.Field(attribute="village__name", column_name=HEADERS["village"])
    urban = fields.Field(column_name=HEADERS["urban"])
    poverty_causes = fields.Field(column_name=HEADERS["poverty_causes"])
    income_per_head = fields.Field(attribute="income_per_head", column_name=HEADERS["income_per_head"])
    track = fields.Field(column_name=HEADERS["track"])
    status = fields.Field(column_name=HEADERS["status"])

    class Meta:
        model = Member
        fields = [key for _header, key in EXPORT_COLUMNS if key != "seq"]
        export_order = fields
        skip_unchanged = True  # never used for import; see the module docstring

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def get_queryset(self):
        return Member.objects.select_related("village", "township", "county")

    dehydrate_gender = _display("gender")
    dehydrate_education = _display("education")
    dehydrate_health = _display("health")
    dehydrate_labour_capacity = _display("labour_capacity")
    dehydrate_track = _display("track")
    dehydrate_status = _display("status")

    def dehydrate_id_number(self, member):
        reveal = self.user is not None and self.user.has_perm("members.reveal_id_number")
        return member.id_number if reveal else idnumbers.mask(member.id_number)

    def dehydrate_urban(self, member):
        return "城市" if member.is_urban else "农村"

    def dehydrate_poverty_causes(self, member):
        return "、".join(member.poverty_cause_labels())

    def export_field(self, field, instance, **kwargs):
        # import-export's own escaping covers a leading "=" only.
        return escape_formula(super().export_field(field, instance, **kwargs))
