"""The seeded dispute taxonomy; the admin edits it afterwards."""

CATEGORIES = [
    ("land-housing", "土地及宅基地", "Land and housing sites"),
    ("neighbours", "邻里纠纷", "Neighbours"),
    ("marriage-family", "婚姻家庭", "Marriage and family"),
    ("labour-wages", "劳动争议及欠薪", "Labour and unpaid wages"),
    ("requisition-demolition", "征地拆迁", "Land requisition and demolition"),
    ("construction-property", "工程建设及物业", "Construction and property"),
    ("environment", "生态环境", "Environment"),
    ("consumer", "消费纠纷", "Consumer"),
    ("medical", "医疗纠纷", "Medical"),
    ("traffic", "交通事故", "Traffic"),
    ("other", "其他", "Other"),
]


def categories_seed(category_model=None) -> None:
    """Create the seeded categories that are missing; edited ones are left alone.

    Migrations pass their historical model; other callers use the current one.
    """
    if category_model is None:
        from disputes.cases.models import Category as category_model
    for position, (code, name, name_en) in enumerate(CATEGORIES, start=1):
        category_model.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position}
        )
