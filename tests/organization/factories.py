"""Builders that go through the real services, so paths and rules hold in tests."""

import factory

from organization import services
from organization.choices import PartyOrganizationKind
from organization.models import PartyOrganization, Region

PASSWORD = "Test2026pass"


def make_region(code, name, level, parent=None, *, is_urban=False) -> Region:
    return services.region_create(code=code, name=name, level=level, parent=parent, is_urban=is_urban)


def make_user(role, region, *, username=None, password=PASSWORD, **extra):
    return services.user_create(
        username=username or str(role),
        password=password,
        display_name=extra.pop("display_name", f"测试{role}"),
        role=role,
        region=region,
        **extra,
    )


class PartyOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyOrganization

    name = factory.Sequence(lambda n: f"中共测试第{n}支部委员会")
    kind = PartyOrganizationKind.BRANCH
    leader_name = factory.Faker("name", locale="zh_CN")
    leader_post = "党支部书记"
    leader_phone = "13800138000"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.party_organization_create(actor=None, **kwargs)
