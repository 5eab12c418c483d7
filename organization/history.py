"""What changed from one history row of a record to the next, for every history page.

simple-history's ``diff_against`` compares editable fields only, and the workflow's fields
(status, decided_by, approved_on ...) are ``editable=False`` so that only services set
them: the changes that matter most would be left out. So every concrete field the history
keeps is compared, except the bookkeeping ones.
"""

from collections import defaultdict

from django.conf import settings
from django.utils.translation import gettext as _

#: Not shown as changes: the key and the time stamps (the history row has its own time).
BOOKKEEPING = frozenset({"id", "created_at", "updated_at"})
EMPTY = "—"


def compared_fields(model, history_model) -> list:
    """The model's concrete fields that its history keeps, less the bookkeeping ones."""
    kept = {field.attname for field in history_model._meta.concrete_fields}
    return [f for f in model._meta.concrete_fields if f.name not in BOOKKEEPING and f.attname in kept]


def history_entries(records, model, *, user=None, summary=None, masked=None) -> list[dict]:
    """The rows of ``records`` (a history queryset, of one record or several) newest first,
    each as ``{"record", "changes": [{"field", "old", "new"}], "summary"}``, its changes
    against the previous row of the same record.

    ``masked`` maps a field's name to what is shown instead of its stored values (an ID
    number masked); ``summary(record)`` says what a row without changes was about.
    """
    masked = masked or {}
    fields = compared_fields(model, records.model)
    key = model._meta.pk.attname
    rows, previous = [], {}
    for record in records.select_related("history_user").order_by("history_date", "history_id"):
        before = previous.get(getattr(record, key))
        changed = []
        if before is not None:
            for field in fields:
                old, new = getattr(before, field.attname), getattr(record, field.attname)
                if old != new:
                    changed.append((field, old, new))
        previous[getattr(record, key)] = record
        rows.append((record, changed))
    names = _related_names(rows, user, masked)
    entries = []
    for record, changed in reversed(rows):
        changes = [
            {
                "field": field.verbose_name,
                "old": _shown(field, old, user, names, masked),
                "new": _shown(field, new, user, names, masked),
            }
            for field, old, new in changed
        ]
        entries.append({"record": record, "changes": changes, "summary": summary(record) if summary else ""})
    return entries


def _related_names(rows, user, masked) -> dict:
    """``{field: {value: name}}`` for the related records the changes refer to, one query per
    related model: named when ``user`` may see them (``visible_to``)."""
    wanted = defaultdict(set)
    for _record, changed in rows:
        for field, old, new in changed:
            if field.is_relation and field.name not in masked:
                wanted[field] |= {value for value in (old, new) if value is not None}
    if user is None or not wanted:
        return {}
    # Accounts named in a row's "who" column are on the page already: no query for them.
    known_users = {r.history_user_id: str(r.history_user) for r, _c in rows if r.history_user_id is not None}
    by_target = defaultdict(set)
    for field, values in wanted.items():
        by_target[field.related_model, field.target_field.attname] |= values
    found = {}
    for (related, attname), values in by_target.items():
        names = {}
        if related._meta.label == settings.AUTH_USER_MODEL and attname == related._meta.pk.attname:
            names = {pk: known_users[pk] for pk in values if pk in known_users}
        missing = values - set(names)
        visible_to = getattr(related._default_manager, "visible_to", None)
        if missing and visible_to is not None:
            for obj in visible_to(user).filter(**{f"{attname}__in": missing}):
                names[getattr(obj, attname)] = str(obj)
        found[related, attname] = names
    return {field: found[field.related_model, field.target_field.attname] for field in wanted}


def _shown(field, value, user, names, masked):
    if value in (None, ""):
        return EMPTY
    if field.name in masked:
        return masked[field.name](value)
    if field.is_relation:
        # another jurisdiction's record stays a number
        return names.get(field, {}).get(value, value)
    return display_value(field, value, user)


def display_value(field, value, user=None):
    """What a user reads for a stored value: a choice's label, yes/no, the name of a
    related record ``user`` may see (another jurisdiction's stays a number)."""
    if value in (None, ""):
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if user is not None and field.is_relation and field.many_to_one:
        visible_to = getattr(field.related_model.objects, "visible_to", None)
        queryset = visible_to(user) if visible_to else field.related_model.objects.none()
        return str(queryset.filter(pk=value).first() or value)
    return value
