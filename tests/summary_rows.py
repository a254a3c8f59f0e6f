"""Dossier-list rows made up in bulk, for the list's model and filter tests (no store)."""

from __future__ import annotations

from sme_review_desktop.overview.dossier_list import DossierSummary

COUNTIES = ("东昌府区", "临清市", "茌平区", "阳谷县", "莘县", "东阿县", "冠县", "高唐县")
WORDS = ("科创", "物流", "轴承", "电缆", "阿胶", "农业", "文旅", "数字")


def summary_rows(n: int) -> list[DossierSummary]:
    return [
        DossierSummary(
            dossier_id=i,
            uscc=f"91371500MA{i:08d}",
            platform_name=f"{COUNTIES[i % 8][:2]}{WORDS[i // 8 % 8]}服务平台{i}",
            operator_name=f"{WORDS[i % 8]}服务有限公司{i}",
            county=COUNTIES[i % 8],
            platform_type="综合类" if i % 3 else "专业类",
            version=1 + i % 2,
            missing_materials=() if i % 5 else (3,),
            suggestion=("unmet", "review", "met")[i % 3],
            decided_items=i % 11,
            total_items=10,
            complete=i % 11 == 10,
            score=None if i % 4 == 0 else 60 + i % 40,
            decision=None,
        )
        for i in range(n)
    ]
