"""The demo data set: a round per measure with a dozen realistic dossiers each.

Every package is written to disk in the shape counties send (a folder with the data form and
numbered evidence), then imported through the same service the app uses, so the demo exercises
the real path. Some dossiers pass, others fail for different, named reasons.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from sme_review_desktop.exports import fonts
from sme_review_desktop.exports.form_template import FormValue, write_form
from sme_review_desktop.importing.service import import_paths
from sme_review_desktop.rounds import create_round, list_rounds
from sme_review_desktop.rules import uscc
from sme_review_desktop.rules.rulebook import Rulebook, get_rulebook
from sme_review_desktop.store.database import Store, open_store

D = Decimal


@dataclass
class DemoDossier:
    platform: str
    operator: str
    county: str
    org8: str
    why: str  # what the demo shows with this dossier
    changes: dict[str, FormValue | None] = field(default_factory=dict)
    kind: str = "91"
    region: str | None = None
    materials: tuple[int, ...] | None = None  # None: every material of the measure


LIAOCHENG_BASE: dict[str, FormValue | None] = {
    "legal_form": "企业",
    "established_on": date(2018, 5, 10),
    "address": "聊城市东昌府区柳园南路88号",
    "platform_type": "综合类",
    "contact_person": "王丽",
    "contact_phone": "0635-8321001",
    "func_info": True,
    "func_training": True,
    "func_consult": True,
    "total_assets_wan": D("850"),
    "service_revenue_wan": D("420"),
    "smes_served": D("156"),
    "smes_served_prev": D("128"),
    "key_smes_served": D("12"),
    "satisfaction_pct": D("93.5"),
    "service_area_m2": D("1200"),
    "partner_institutions": D("6"),
    "public_welfare_pct": D("26"),
    "staff_total": D("28"),
    "staff_qualified": D("25"),
    "info_offline_smes": D("112"),
    "info_activities": D("14"),
    "training_person_times": D("1680"),
    "training_qualified": True,
    "consult_activities": D("6"),
}

LIAOCHENG = [
    DemoDossier(
        "聊城市运河科创服务平台",
        "聊城市科技创新服务中心",
        "东昌府区",
        "0A100001",
        "事业单位，按放宽条件：资产150万元、人员12人",
        {
            "legal_form": "事业单位",
            "total_assets_wan": D("150"),
            "staff_total": D("12"),
            "staff_qualified": D("11"),
        },
        kind="12",
    ),
    DemoDossier(
        "聊城鲁西中小企业综合服务平台",
        "聊城鲁西企业服务有限公司",
        "东昌府区",
        "MA3C0002",
        "各项数据均达标，待评审人判断",
    ),
    DemoDossier(
        "临清轴承产业技术服务平台",
        "临清市轴承技术服务有限公司",
        "临清市",
        "MA3C0003",
        "资产总额199.99万元，低于200万元",
        {"total_assets_wan": D("199.99")},
    ),
    DemoDossier(
        "茌平铝业创新服务平台",
        "茌平区铝业创新服务有限公司",
        "茌平区",
        "MA3C0004",
        "年服务中小企业79家，不足80家",
        {"smes_served": D("79"), "smes_served_prev": D("70")},
    ),
    DemoDossier(
        "阳谷电缆产业服务平台",
        "阳谷县电缆产业服务有限公司",
        "阳谷县",
        "MA3C0005",
        "用户满意度84%，低于85%",
        {"satisfaction_pct": D("84")},
    ),
    DemoDossier(
        "东阿阿胶产业创业服务平台",
        "东阿县创业服务有限公司",
        "东阿县",
        "MA3C0006",
        "服务企业数与上年持平，未增长",
        {"smes_served": D("120"), "smes_served_prev": D("120")},
    ),
    DemoDossier(
        "冠县中小企业服务平台",
        "冠县中小企业服务有限公司",
        "冠县",
        "MA3C0007",
        "综合类只申报一项服务功能",
        {"func_training": False, "func_consult": False},
    ),
    DemoDossier(
        "莘县职业技能培训服务平台",
        "莘县职业培训学校有限公司",
        "莘县",
        "MA3C0008",
        "专业类培训平台，年培训799人次",
        {
            "platform_type": "专业类",
            "func_info": False,
            "func_consult": False,
            "training_person_times": D("799"),
        },
    ),
    DemoDossier(
        "聊城融资担保服务平台",
        "聊城市中小企业融资担保有限公司",
        "高新区",
        "MA3C0009",
        "融资担保机构：年新增担保12亿元（或选一）",
        {
            "platform_type": "专业类",
            "func_info": False,
            "func_training": False,
            "func_consult": False,
            "func_finance": True,
            "guarantee_new_yi": D("12"),
        },
    ),
    DemoDossier(
        "高唐县企业服务平台",
        "高唐县企业服务有限公司",
        "高唐县",
        "MA3C0010",
        "申报为事业单位，但信用代码为企业：放宽条件待核",
        {"legal_form": "事业单位", "total_assets_wan": D("150")},
    ),
    DemoDossier(
        "聊城经开区数字化服务平台",
        "聊城经开数字科技有限公司",
        "经济技术开发区",
        "MA3C0011",
        "2025年成立，运营不满2年",
        {"established_on": date(2025, 3, 1)},
    ),
    DemoDossier(
        "聊城法律咨询服务平台",
        "聊城明德法律服务有限公司",
        "东昌府区",
        "MA3C0012",
        "未填报用户满意度；大专以上人员占比75%；缺三项材料",
        {
            "satisfaction_pct": None,
            "staff_total": D("20"),
            "staff_qualified": D("15"),
            "func_legal": True,
            "legal_activities": D("5"),
        },
        materials=(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
    ),
]

XIAN_BASE: dict[str, FormValue | None] = {
    "legal_form": "企业",
    "established_on": date(2016, 9, 1),
    "address": "西安市雁塔区科技路48号",
    "contact_person": "李强",
    "contact_phone": "029-88321002",
    "func_info": True,
    "func_training": True,
    "total_assets_wan": D("320"),
    "service_revenue_wan": D("260"),
    "smes_served": D("86"),
    "smes_served_prev": D("71"),
    "key_smes_served": D("6"),
    "satisfaction_pct": D("91"),
    "service_area_m2": D("650"),
    "partner_institutions": D("5"),
    "public_welfare_pct": D("30"),
    "staff_total": D("16"),
    "staff_qualified": D("14"),
    "info_offline_smes": D("60"),
    "info_activities": D("8"),
    "training_person_times": D("1350"),
    "training_qualified": True,
}

XIAN = [
    DemoDossier(
        "西安高新融资服务平台",
        "西安高新金融服务有限公司",
        "高新区",
        "MA6W0001",
        "融资服务：5次对接、融资1.2亿元",
        {"func_finance": True, "finance_activities": D("5"), "finance_amount_yi": D("1.2")},
        region="610131",
    ),
    DemoDossier(
        "雁塔中小企业信息服务平台",
        "西安雁塔信息服务有限公司",
        "雁塔区",
        "MA6W0002",
        "各项数据均达标，待评审人判断",
        region="610113",
    ),
    DemoDossier(
        "碑林创业孵化服务平台",
        "西安碑林创业服务有限公司",
        "碑林区",
        "MA6W0003",
        "服务企业40家，但营业收入超过100万元：满足其一",
        {"smes_served": D("40"), "smes_served_prev": D("35"), "service_revenue_wan": D("100.5")},
        region="610103",
    ),
    DemoDossier(
        "未央技术转移服务平台",
        "西安未央技术转移有限公司",
        "未央区",
        "MA6W0004",
        "服务企业40家，营业收入恰为100万元（不超过100万元）",
        {"smes_served": D("40"), "smes_served_prev": D("35"), "service_revenue_wan": D("100")},
        region="610112",
    ),
    DemoDossier(
        "莲湖检验检测服务平台",
        "西安莲湖检测技术有限公司",
        "莲湖区",
        "MA6W0005",
        "服务面积199平方米，不足200平方米",
        {"service_area_m2": D("199")},
        region="610104",
    ),
    DemoDossier(
        "长安大学城培训服务平台",
        "西安长安培训服务有限公司",
        "长安区",
        "MA6W0006",
        "培训无备案资质，但信息服务达标：至少一项满足",
        {"training_qualified": False},
        region="610116",
    ),
    DemoDossier(
        "灞桥企业服务平台",
        "西安灞桥企业服务有限公司",
        "灞桥区",
        "MA6W0007",
        "申报的功能均未达标",
        {"info_offline_smes": D("49"), "training_person_times": D("999")},
        region="610111",
    ),
    DemoDossier(
        "咸阳注册的科创服务平台",
        "陕西秦创科技服务有限公司",
        "西咸新区",
        "MA6W0008",
        "注册地代码不在西安（6104），需核实",
        region="610402",
    ),
    DemoDossier(
        "临潼旅游企业服务平台",
        "西安临潼企业服务有限公司",
        "临潼区",
        "MA6W0009",
        "公益性服务占比19%，低于20%",
        {"public_welfare_pct": D("19")},
        region="610115",
    ),
    DemoDossier(
        "阎良航空产业服务平台",
        "西安阎良航空服务有限公司",
        "阎良区",
        "MA6W0010",
        "服务人员9人，不足10人",
        {"staff_total": D("9"), "staff_qualified": D("8")},
        region="610114",
    ),
    DemoDossier(
        "鄠邑担保服务平台",
        "西安鄠邑融资担保有限公司",
        "鄠邑区",
        "MA6W0011",
        "融资担保：年新增担保2.9亿元，不足3亿元",
        {
            "func_info": False,
            "func_training": False,
            "func_finance": True,
            "guarantee_new_yi": D("2.9"),
        },
        region="610118",
    ),
    DemoDossier(
        "高陵中小企业服务平台",
        "西安高陵企业服务有限公司",
        "高陵区",
        "MA6W0012",
        "资产总额恰为50万元；只交了数据表（缺全部材料）",
        {"total_assets_wan": D("50")},
        region="610117",
        materials=(),
    ),
]


def _placeholder_pdf(path: Path, title: str, lines: list[str]) -> None:
    font = fonts.register()
    canvas = Canvas(str(path), initialFontName=font)
    canvas.setTitle(title)
    canvas.setFont(font, 18)
    canvas.drawString(72, 770, title)
    canvas.setFont(font, 11)
    for n, line in enumerate(lines):
        canvas.drawString(72, 730 - 20 * n, line)
    canvas.drawString(72, 60, "（演示数据：本文件为示意材料，非真实证明。）")
    canvas.save()


def write_package(
    folder: Path,
    book: Rulebook,
    demo: DemoDossier,
    base: dict[str, FormValue | None],
    default_region: str,
) -> Path:
    """Write one demo dossier as a county would send it: a folder with form and evidence."""
    code = uscc.build(kind=demo.kind, region=demo.region or default_region, org8=demo.org8)
    values: dict[str, FormValue | None] = {
        **base,
        "platform_name": demo.platform,
        "operator_name": demo.operator,
        "uscc": code,
        "county": demo.county,
        **demo.changes,
    }
    pkg = folder / demo.platform
    pkg.mkdir(parents=True)
    write_form(pkg / "申报数据表.xlsx", book, values)
    numbers = demo.materials if demo.materials is not None else [m.number for m in book.materials]
    for material in book.materials:
        if material.number in numbers:
            name = f"{material.number:02d}_{material.title[:14]}.pdf"
            _placeholder_pdf(
                pkg / name.replace("/", "／"),
                material.title,
                [
                    f"申报单位：{demo.operator}",
                    f"平台名称：{demo.platform}",
                    f"统一社会信用代码：{code}",
                ],
            )
    return pkg


def load_demo(store: Store, actor: str = "演示", *, story: bool = False) -> list[int]:
    """Create the demo rounds in ``store`` and import their dossiers; returns the round ids.

    ``story`` (the app's and ``sme-review demo``'s data set) adds ``demo.story``: an earlier,
    certified round, reviews, scores and decisions that follow from the record, and a dossier
    for every finding. Tests build on the bare rounds.
    """
    plans = [
        (
            "liaocheng-2021",
            "2026年度聊城市示范平台认定（演示）",
            date(2026, 6, 30),
            LIAOCHENG,
            LIAOCHENG_BASE,
            "371502",
        ),
        (
            "xian-2018",
            "2026年度西安市示范平台认定（演示）",
            date(2026, 6, 30),
            XIAN,
            XIAN_BASE,
            "610113",
        ),
    ]
    round_ids = []
    with tempfile.TemporaryDirectory(prefix="sme-demo-") as tmp:
        packages: list[list[Path]] = []
        for rulebook_id, name, ref, dossiers, base, region in plans:
            book = get_rulebook(rulebook_id)
            rid = create_round(store, rulebook_id, name, ref, actor)
            folder = Path(tmp) / rulebook_id
            paths = [write_package(folder, book, d, base, region) for d in dossiers]
            for result in import_paths(store, rid, paths, actor):
                if result.status not in ("imported", "new_version"):
                    raise RuntimeError(f"demo package rejected: {result.errors}")
            round_ids.append(rid)
            packages.append(paths)
        if story:
            round_ids += _story(store, round_ids, packages[0], Path(tmp), actor)
    return round_ids


def _story(
    store: Store, round_ids: list[int], lc_packages: list[Path], tmp: Path, actor: str
) -> list[int]:
    from sme_review_desktop.demo.story import EARLIER, load_story

    lc_book, xa_book = get_rulebook("liaocheng-2021"), get_rulebook("xian-2018")
    earlier = [  # as they applied in 2023: every figure met
        write_package(
            tmp / "2023", lc_book, replace(LIAOCHENG[n], changes={}), LIAOCHENG_BASE, "371502"
        )
        for n in EARLIER
    ]
    staff: dict[str, FormValue | None] = {"staff_total": D("10"), "staff_qualified": D("9")}
    fix = write_package(tmp / "fix", xa_book, replace(XIAN[9], changes=staff), XIAN_BASE, "610113")
    return load_story(store, round_ids[0], round_ids[1], lc_packages, earlier, fix, actor)


def open_demo_store(data_dir: Path) -> Store:
    """The demo data set lives in its own store under ``demo/`` of the data folder."""
    store = open_store(data_dir / "demo")
    if not list_rounds(store):
        load_demo(store, story=True)
    return store
