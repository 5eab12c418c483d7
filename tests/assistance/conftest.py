from datetime import date
from types import SimpleNamespace

import pytest

from organization.choices import Role
from tests.members.factories import make_member
from tests.organization.factories import make_user

from .factories import make_cadre, make_centre, make_enterprise, make_team, pair


@pytest.fixture
def world(tree, users):
    """Members in 张庄村 (a1v), 建设路社区 (a1c, urban) and 李家湾村 (b1v, 白河县); a work team
    stationed in 张庄村; two cadres of 青山县, each paired with one member; an enterprise and
    an urban centre with their accounts."""
    zhang = make_member(tree.a1v, name="张庄党员")
    zhang2 = make_member(tree.a1v, name="张庄二号")
    urban = make_member(tree.a1c, name="社区党员")
    other = make_member(tree.b1v, name="白河党员")
    old = make_member(tree.a1v, name="五保老人", born=date(1950, 3, 1), has_living_source=False, labour_capacity="lost")
    team = make_team(tree.a, [tree.a1v], [users.work_team])
    cadre = make_cadre(tree.a, [users.cadre])
    cadre2_user = make_user(Role.CADRE, tree.a, username="cadre2", display_name="另一名干部")
    cadre2 = make_cadre(tree.a, [cadre2_user], name="王副县长")
    enterprise = make_enterprise(tree.city, [users.enterprise])
    centre = make_centre(tree.a, [users.urban_centre])
    pair(zhang, cadre)
    pair(urban, cadre2)
    pair(zhang2, enterprise)
    pair(urban, centre)
    return SimpleNamespace(
        zhang=zhang,
        zhang2=zhang2,
        urban=urban,
        other=other,
        old=old,
        team=team,
        cadre=cadre,
        cadre2=cadre2,
        cadre2_user=cadre2_user,
        enterprise=enterprise,
        centre=centre,
    )
