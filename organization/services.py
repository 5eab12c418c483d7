"""Writes with rules for regions, party organizations and accounts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .choices import RegionLevel, Role
from .models import PATH_SEPARATOR, PartyOrganization, Region, User
from .roles import ROLE_REGION_LEVELS


def _region_paths(region: Region) -> None:
    parent = region.parent
    parent_path = parent.path if parent else PATH_SEPARATOR
    region.path = f"{parent_path}{region.code}{PATH_SEPARATOR}"
    region.full_name = f"{parent.full_name}{PATH_SEPARATOR}{region.name}" if parent else region.name


@transaction.atomic
def region_create(
    *, code: str, name: str, level: str, parent: Region | None = None, is_urban: bool = False, actor=None
) -> Region:
    region = Region(code=code, name=name, level=level, parent=parent, is_urban=is_urban)
    _region_paths(region)
    region._history_user = actor
    region.full_clean()
    region.save()
    return region


@transaction.atomic
def region_update(*, region: Region, actor=None, **fields) -> Region:
    """Change a region's name or urban flag; renaming refreshes the full names below it."""
    allowed = {"name", "is_urban"}
    if unknown := set(fields) - allowed:
        raise ValidationError(_("不能修改这些字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    renamed = "name" in fields and fields["name"] != region.name
    for field, value in fields.items():
        setattr(region, field, value)
    _region_paths(region)
    region._history_user = actor
    region.full_clean()
    region.save()
    if renamed:
        full_names = {region.pk: region.full_name}
        descendants = Region.objects.filter(path__startswith=region.path).exclude(pk=region.pk).order_by("path")
        for descendant in descendants:  # parents come before their children in path order
            descendant.full_name = f"{full_names[descendant.parent_id]}{PATH_SEPARATOR}{descendant.name}"
            full_names[descendant.pk] = descendant.full_name
            descendant._history_user = actor
            descendant.save(update_fields=["full_name", "updated_at"])
    return region


def _check_editable(*, actor, organization: PartyOrganization) -> None:
    if actor is not None and not (
        actor.is_superuser or (actor.region is not None and organization.region.is_within(actor.region))
    ):
        raise ValidationError({"region": _("只能选择您管辖范围内的区划。")})


@transaction.atomic
def party_organization_create(*, actor, **fields) -> PartyOrganization:
    organization = PartyOrganization(**fields)
    _check_editable(actor=actor, organization=organization)
    organization._history_user = actor
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def party_organization_update(*, actor, organization: PartyOrganization, **fields) -> PartyOrganization:
    for field, value in fields.items():
        setattr(organization, field, value)
    _check_editable(actor=actor, organization=organization)
    organization._history_user = actor
    organization.full_clean()
    organization.save()
    return organization


def _check_jurisdiction(role: str, region: Region | None) -> None:
    if region is None:
        raise ValidationError({"region": _("请为账号选择管辖范围。")})
    levels = ROLE_REGION_LEVELS[role]
    if region.level not in levels:
        allowed = "、".join(str(RegionLevel(level).label) for level in RegionLevel.values if level in levels)
        raise ValidationError(
            {"region": _("角色“%(role)s”的管辖范围应为：%(levels)s。") % {"role": Role(role).label, "levels": allowed}}
        )


@transaction.atomic
def user_create(
    *,
    actor=None,
    username: str,
    password: str | None,
    display_name: str,
    role: str,
    region: Region | None,
    **extra,
) -> User:
    """Create a staff account; a system administrator is also a Django superuser."""
    _check_jurisdiction(role, region)
    user = User(username=username, display_name=display_name, role=role, region=region, **extra)
    user.is_staff = user.is_superuser = role == Role.ADMIN
    if password:
        from django.contrib.auth.password_validation import validate_password

        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user._history_user = actor
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_update(*, actor, user: User, **fields) -> User:
    for field, value in fields.items():
        setattr(user, field, value)
    _check_jurisdiction(user.role, user.region)
    user.is_staff = user.is_superuser = user.role == Role.ADMIN
    user._history_user = actor
    user.full_clean(exclude=["password"])
    user.save()
    return user
