"""Conventions enforced as tests (after Zulip's custom_check and Saleor's semgrep rules).

1. Views, API views and serializers reach models only through ``visible_to`` or a
   class-level ``queryset`` that the scoped mixins narrow; ``.none()`` is safe too.
2. Every model of our apps has a ScopedQuerySet manager, unless it is listed here.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from organization.scoping import ScopedQuerySet

OUR_APPS = ["organization", "members", "training", "projects", "fund", "assistance", "reports"]
# Models that are not scoped by region, and why.
UNSCOPED_MODELS: dict[str, str] = {
    "members.FileNumberSequence": "an internal counter; no page or endpoint reads it",
}

BASE = Path(settings.BASE_DIR)


def _checked_files():
    for app in OUR_APPS:
        root = BASE / app
        for name in ("views.py", "api/views.py", "api/serializers.py"):
            if (root / name).exists():
                yield root / name


def _chain_calls(node):
    """Names of the methods called along an attribute chain above ``node``."""
    names = []
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Call):
            node = node.func
        else:
            names.append(node.attr)
            node = node.value
    return names


def _violations(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr == "objects"):
            continue
        # climb to the outermost expression of this chain
        top = node
        while isinstance(parents.get(top), ast.Attribute | ast.Call) and (
            isinstance(parents[top], ast.Attribute) or parents[top].func is top
        ):
            top = parents[top]
        calls = set(_chain_calls(top))
        statement = parents.get(top)
        class_queryset = (
            isinstance(statement, ast.Assign)
            and isinstance(parents.get(statement), ast.ClassDef)
            and any(isinstance(t, ast.Name) and t.id == "queryset" for t in statement.targets)
        )
        if class_queryset or "visible_to" in calls or "none" in calls:
            continue
        found.append(f"{path.relative_to(BASE)}:{node.lineno}")
    return found


def test_views_and_serializers_reach_models_only_through_scoping():
    violations = [v for path in _checked_files() for v in _violations(path)]
    assert not violations, "unscoped .objects use (use visible_to or a class-level queryset): " + ", ".join(violations)


def test_the_checker_catches_an_unscoped_query(tmp_path):
    bad = tmp_path / "views.py"
    bad.write_text("def view(request):\n    return Member.objects.filter(name='x')\n", encoding="utf-8")
    global BASE
    saved, BASE = BASE, tmp_path
    try:
        assert _violations(bad) == ["views.py:2"]
    finally:
        BASE = saved


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if m._meta.app_label in OUR_APPS and not m.__name__.startswith("Historical")],
    ids=lambda m: m._meta.label,
)
def test_every_model_is_scoped(model):
    if model._meta.label in UNSCOPED_MODELS:
        return
    assert isinstance(model._default_manager.all(), ScopedQuerySet), f"{model._meta.label} needs ScopedQuerySet"
    assert hasattr(model, "scope_q")
