"""People and roles on the shared server (issue 20): PostgreSQL itself refuses what a role may not do.

Run on the test server (scripts/test_server.sh); on SQLite these tests skip. The bureau's IT runs
``server setup`` as the owner; experts and staff then work through the CLI with their own logins,
and the audit table is checked with plain SQL through psycopg, not through the app.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from sme_review_desktop.scoring.experts import add_expert, declare_conflict
from sme_review_desktop.store.audit import verify_chain
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.server_roles import add_user, list_users, setup

ROUND = 1
PASSWORD = "口令-secret-1"


@dataclass
class Server:
    store: Store
    url: str
    conflicted: str  # 王一 declared a conflict with this applicant
    other: str  # and scores this one
    logins: dict[str, str]  # role → login

    def url_as(self, login: str) -> str:
        return (
            make_url(self.url)
            .set(username=login, password=PASSWORD)
            .render_as_string(hide_password=False)
        )

    def cli(self, login: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "SME_REVIEW_DATABASE_URL"}
        env["SME_REVIEW_NEW_PASSWORD"] = PASSWORD
        url = self.url if login == "owner" else self.url_as(self.logins[login])
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "sme_review_desktop.cli",
                "--data-dir",
                str(self.store.data_dir),
                "--database-url",
                url,
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )

    def sql(self, login: str) -> psycopg.Connection[tuple[object, ...]]:
        url = make_url(self.url_as(self.logins[login])).set(drivername="postgresql")
        return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


@pytest.fixture
def server(demo_store: Store) -> Iterator[Server]:
    if demo_store.is_sqlite:
        pytest.skip("只适用于共享服务器（PostgreSQL）：设置 SME_TEST_DATABASE_URL")
    from sme_review_desktop.review.evaluation import evaluate_round

    codes = [r.uscc for r in evaluate_round(demo_store, ROUND)]
    add_expert(demo_store, ROUND, "王一", "IT")
    add_expert(demo_store, ROUND, "李二", "IT")
    declare_conflict(demo_store, ROUND, "王一", codes[0], "曾任该单位顾问", "IT")
    setup(demo_store, "IT")
    tag = uuid.uuid4().hex[:8]
    logins = {"expert": f"wang_{tag}", "staff": f"zhang_{tag}", "admin": f"it_{tag}"}
    add_user(demo_store, logins["expert"], "王一", "expert", PASSWORD, "IT")
    add_user(demo_store, logins["staff"], "张科员", "staff", PASSWORD, "IT")
    add_user(demo_store, logins["admin"], "刘管理", "admin", PASSWORD, "IT")
    url = demo_store.engine.url.render_as_string(hide_password=False)
    yield Server(demo_store, url, codes[0], codes[1], logins)


def _listed(server: Server, login: str) -> set[str]:
    proc = server.cli(login, "evaluate", "--round", str(ROUND), "--json")
    assert proc.returncode == 0, proc.stderr
    return {d["uscc"] for d in json.loads(proc.stdout)["dossiers"]}


def test_an_expert_never_sees_a_dossier_they_declared_a_conflict_with(server: Server) -> None:
    staff = _listed(server, "staff")
    expert = _listed(server, "expert")
    assert server.conflicted in staff and server.other in staff
    assert expert == staff - {server.conflicted}


def test_an_expert_cannot_export_the_report_of_a_conflicted_dossier(
    server: Server, tmp_path: Path
) -> None:
    refused = tmp_path / "conflicted.pdf"
    proc = server.cli(
        "expert",
        "export",
        "report",
        "--round",
        "1",
        "--uscc",
        server.conflicted,
        "-o",
        str(refused),
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and not refused.exists()
    allowed = tmp_path / "other.pdf"
    proc = server.cli(
        "expert", "export", "report", "--round", "1", "--uscc", server.other, "-o", str(allowed)
    )
    assert proc.returncode == 0, proc.stderr
    assert allowed.read_bytes().startswith(b"%PDF")


def test_an_expert_enters_only_their_own_scores_signed_with_their_registered_name(
    server: Server,
) -> None:
    base = ("scores", "enter", "--round", "1", "--uscc", server.other)
    proc = server.cli("expert", "--actor", "李二", *base, "--expert", "李二", "基本条件=10")
    assert proc.returncode == 2
    assert "无权" in proc.stderr and "Traceback" not in proc.stderr
    proc = server.cli("expert", "--actor", "李二", *base, "--expert", "王一", "基本条件=10")
    assert proc.returncode == 0, proc.stderr
    with server.store.read() as session:
        last = session.execute(
            text("SELECT actor, action FROM audit_entry ORDER BY id DESC LIMIT 1")
        ).one()
        assert tuple(last) == ("王一", "score.enter")  # the login's name, not --actor
        assert verify_chain(session) == []
    # staff enter scores for any expert, as the panel's secretary does from paper
    proc = server.cli("staff", *base, "--expert", "李二", "基本条件=12")
    assert proc.returncode == 0, proc.stderr


def test_the_server_refuses_an_experts_score_by_plain_sql(server: Server) -> None:
    with server.store.read() as session:
        ids = dict(session.execute(text("SELECT name, id FROM expert WHERE round_id = 1")).all())
        dossier = dict(
            session.execute(
                text("SELECT a.uscc, d.id FROM dossier d JOIN applicant a ON a.id = d.applicant_id")
            ).all()
        )
        criterion = session.scalar(text("SELECT min(id) FROM criterion WHERE round_id = 1"))
    insert = (
        "INSERT INTO score (expert_id, dossier_id, criterion_id, points, entered_by, "
        "entered_at, version) VALUES (%s, %s, %s, 5, 'x', now(), 'v')"
    )
    with server.sql("expert") as conn:
        for expert, code in (("李二", server.other), ("王一", server.conflicted)):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(insert, (ids[expert], dossier[code], criterion))
        conn.execute(insert, (ids["王一"], dossier[server.other], criterion))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO decision (dossier_id, decision, reason, decided_by, "
                "decided_at, version) VALUES (%s, 'approved', '', 'x', now(), 1)",
                (dossier[server.other],),
            )
        for table in ("objection", "certificate", "score_sheet_issue", "audit_entry"):
            if table == "certificate":
                continue  # read (its own dossiers), never written: checked below
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT * FROM {table}")
    # scores close with the round: locked by staff, the expert's own score is refused too
    with server.sql("staff") as conn:
        conn.execute("UPDATE round SET locked_at = now() WHERE id = 1")
    with server.sql("expert") as conn:
        changed = conn.execute(
            "UPDATE score SET points = 6 WHERE expert_id = %s", (ids["王一"],)
        ).rowcount
        assert changed == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(insert, (ids["王一"], dossier[server.other], criterion + 1))


def test_an_expert_cannot_change_round_settings(server: Server) -> None:
    with server.sql("expert") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE round SET settings = '{}'")


@pytest.mark.parametrize("role", ["expert", "staff", "admin"])
def test_the_audit_table_is_append_only_for_every_app_role(server: Server, role: str) -> None:
    with server.sql(role) as conn:
        for sql in (
            "DELETE FROM audit_entry",
            "UPDATE audit_entry SET actor = 'x'",
            "TRUNCATE audit_entry",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)
        # a forged entry: another actor, a made-up link and id; the server writes its own
        conn.execute(
            "INSERT INTO audit_entry (id, at, actor, action, prev_hash, hash) "
            "VALUES (999999, now(), '李二', 'forged', %s, %s)",
            ("f" * 64, uuid.uuid4().hex * 2),
        )
    with server.store.read() as session:
        rows = session.execute(
            text("SELECT id, actor, prev_hash, hash FROM audit_entry ORDER BY id DESC LIMIT 2")
        ).all()
        forged, before = rows[0], rows[1]
        assert forged.id == before.id + 1
        assert forged.prev_hash == before.hash
        assert forged.actor == {"expert": "王一", "staff": "张科员", "admin": "刘管理"}[role]
        # and the keyed chain finds the entry the app did not sign
        assert any(f"第{forged.id}条" in p for p in verify_chain(session))


def test_only_an_admin_manages_users(server: Server) -> None:
    args = (
        "server",
        "user",
        "add",
        "--login",
        f"new_{uuid.uuid4().hex[:6]}",
        "--name",
        "新专家",
        "--role",
        "expert",
    )
    proc = server.cli("staff", *args)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = server.cli("admin", *args)
    assert proc.returncode == 0, proc.stderr
    listed = server.cli("admin", "server", "user", "list", "--json")
    names = {u["name"]: u for u in json.loads(listed.stdout)["users"]}
    assert {"王一", "张科员", "刘管理", "新专家"} <= set(names)
    assert names["新专家"]["role"] == "expert" and not names["新专家"]["disabled"]


def test_a_disabled_login_cannot_sign_in_and_keeps_its_name(server: Server) -> None:
    proc = server.cli("admin", "server", "user", "disable", "--login", server.logins["expert"])
    assert proc.returncode == 0, proc.stderr
    with pytest.raises(psycopg.OperationalError):
        server.sql("expert").close()
    users = {u.login: u for u in list_users(server.store)}
    assert users[server.logins["expert"]].name == "王一"
    assert users[server.logins["expert"]].disabled_at is not None
    again = server.cli("admin", "server", "user", "disable", "--login", server.logins["expert"])
    assert again.returncode == 2 and "已于" in again.stderr


def test_setup_is_for_the_owner_and_can_be_run_again(server: Server) -> None:
    proc = server.cli("staff", "server", "setup")
    assert proc.returncode == 2 and "拥有数据表的登录" in proc.stderr
    proc = server.cli("owner", "server", "setup", "--json")
    assert proc.returncode == 0, proc.stderr
    assert _listed(server, "expert") == _listed(server, "staff") - {server.conflicted}


def test_user_add_refuses_a_bad_login_or_a_short_password(server: Server) -> None:
    for login, password in (("Bad-Login", PASSWORD), ("ok_login", "short7!")):
        env = {**os.environ, "SME_REVIEW_NEW_PASSWORD": password}
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "sme_review_desktop.cli",
                "--data-dir",
                str(server.store.data_dir),
                "server",
                "user",
                "add",
                "--database-url",
                server.url,
                "--login",
                login,
                "--name",
                "某人",
                "--role",
                "staff",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_a_score_sheet_on_the_server_names_the_staff_login_who_issued_and_imported_it(
    server: Server, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from sme_review_desktop.scoring.sheets import FIRST_ROW, SHEET

    sheet = tmp_path / "王一.xlsx"
    proc = server.cli(
        "staff",
        "--actor",
        "冒名",
        "scores",
        "template",
        "--round",
        "1",
        "--expert",
        "王一",
        "-o",
        str(sheet),
    )
    assert proc.returncode == 0, proc.stderr
    wb = load_workbook(sheet)
    wb[SHEET].cell(FIRST_ROW, 4).value = 18
    wb.save(sheet)
    # an expert login may not import sheets (staff enter them for the panel)
    proc = server.cli("expert", "scores", "import", "--round", "1", str(sheet), "--json")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    proc = server.cli(
        "staff", "--actor", "冒名", "scores", "import", "--round", "1", str(sheet), "--json"
    )
    assert proc.returncode == 0, proc.stderr
    [done] = json.loads(proc.stdout)["results"]
    assert (done["status"], done["expert"], done["imported_by"]) == ("imported", "王一", "张科员")
    with server.store.read() as session:
        issued_by = session.scalar(text("SELECT issued_by FROM score_sheet_issue"))
    assert issued_by == "张科员"


def test_staff_decide_and_check_an_expert_may_not_decide(server: Server) -> None:
    decide = (
        "decide",
        "--round",
        "1",
        "--uscc",
        server.other,
        "--decision",
        "approved",
        "--reason",
        "评审合格",
        # not reviewed here: this tests who may decide, not the approval gate
        "--override",
        "服务器角色测试：未逐条审核的例外认定",
    )
    refused = server.cli("expert", *decide)
    assert refused.returncode == 2 and "无权" in refused.stderr
    proc = server.cli("staff", *decide)
    assert proc.returncode == 0, proc.stderr
    proc = server.cli("staff", "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "链条完整" in proc.stdout
    with server.store.read() as session:
        actors = (
            session.execute(text("SELECT actor FROM audit_entry WHERE action = 'decision.set'"))
            .scalars()
            .all()
        )
    assert actors == ["张科员"]


def test_login_and_password_limits_at_their_boundaries(server: Server) -> None:
    from sme_review_desktop.errors import StoreError

    stem = f"l{uuid.uuid4().hex}"  # roles are the whole server's: a name no other test uses
    longest = (stem * 3)[:63]
    with pytest.raises(StoreError, match="最多63个字符"):
        add_user(server.store, longest + "x", "甲", "staff", "12345678", "IT")
    with pytest.raises(StoreError, match="至少8个字符"):
        add_user(server.store, longest, "甲", "staff", "1234567", "IT")
    add_user(server.store, longest, "甲", "staff", "12345678", "IT")
    with pytest.raises(StoreError, match="已存在"):
        add_user(server.store, longest, "乙", "staff", "12345678", "IT")
    with pytest.raises(StoreError, match="已由登录"):
        add_user(server.store, stem[:20], "甲", "staff", "12345678", "IT")


def test_a_reviewer_login_cannot_upgrade_the_server_and_is_told_who_can(server: Server) -> None:
    with server.store.write() as session:  # as if the server were one release behind
        session.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    proc = server.cli("staff", "evaluate", "--round", "1", "--json")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "server setup" in proc.stderr
