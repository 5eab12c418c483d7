from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("贫困党员档案")
    navigation = (
        (_("贫困党员档案"), "members:member_list", "members.view_member"),
        (_("台账导入"), "members_import:upload", "members.add_importbatch"),
        (_("收入标准"), "members:threshold_list", "members.change_incomethreshold"),
        (_("身份证号查看记录"), "members:idnumberreveal_list", "members.view_idnumberreveal"),
    )
