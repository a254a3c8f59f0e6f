"""People and roles on the shared server: PostgreSQL's own roles, grants and row-level security.

``setup`` (run once, and again after each upgrade, by the login that owns the tables) makes the
group roles ``sme_admin``, ``sme_staff`` and ``sme_expert``, grants each what it needs and no
more, turns on row-level security where an expert must see only part of a table, and makes the
audit table append-only: the groups may INSERT into it, never UPDATE, DELETE or TRUNCATE, and a
trigger owned by the owner fills in each new entry's actor (the login's registered name) and its
link to the entry before it, so a client cannot sign as someone else or splice the chain.
docs/server-mode.md says what each role may do; docs/decisions.md how this relates to the
keyed (HMAC) chain of store/audit.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from sme_review_desktop.errors import StoreError
from sme_review_desktop.models import AppUser, Base
from sme_review_desktop.models.base import utcnow
from sme_review_desktop.store import audit
from sme_review_desktop.store.database import SERVER_WRITE_LOCK, Store

ROLES = {"admin": "sme_admin", "staff": "sme_staff", "expert": "sme_expert"}
ROLE_LABELS = {"admin": "系统管理员", "staff": "科室工作人员", "expert": "评审专家"}
LOGIN_PATTERN = re.compile(r"[a-z_][a-z0-9_]{0,62}")

# What an expert reads (rows filtered by the policies below); everything else is closed to them:
# decisions, publicity's objections, certificates, the register, sheets issued, other settings.
EXPERT_READS = (
    "rulebook",
    "round",
    "applicant",
    "dossier",
    "dossier_version",
    "declared_figure",
    "evidence_blob",
    "evidence_file",
    "condition_check",
    "evidence_link",
    "expert",
    "conflict",
    "criterion",
    "score",
    "decision",  # read on the 评审意见表 of a dossier they see; written by staff only
    "certificate",  # likewise: whether a dossier they see was certified (public anyway)
    "publicity",  # whether the round's scores are still open (scoring/entry.frozen_reason)
    "holiday_day",
    "finding_note",  # a finding marked explained, shown with the dossier's findings
    "verdict_cache",  # derived verdicts (review/verdict_cache), also written when recomputed
    "app_user",
    "alembic_version",
)

# Server-side helpers. SECURITY DEFINER: they run as the owner, who is not subject to row-level
# security, so a policy can ask "is this dossier one of mine?" without recursing into itself.
# session_user, not current_user: inside a definer function current_user is the owner.
FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION sme_review_my_rounds() RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT e.round_id FROM expert e JOIN app_user u ON u.name = e.name
  WHERE u.login = session_user AND u.role = 'expert' AND u.disabled_at IS NULL
$$;

CREATE OR REPLACE FUNCTION sme_review_is_my_expert(eid integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM expert e JOIN app_user u ON u.name = e.name
    WHERE e.id = eid AND u.login = session_user AND u.role = 'expert'
      AND u.disabled_at IS NULL)
$$;

CREATE OR REPLACE FUNCTION sme_review_sees_dossier(did integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM dossier d
      JOIN expert e ON e.round_id = d.round_id
      JOIN app_user u ON u.name = e.name
    WHERE d.id = did AND u.login = session_user AND u.role = 'expert'
      AND u.disabled_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM conflict c WHERE c.expert_id = e.id AND c.dossier_id = d.id))
$$;

CREATE OR REPLACE FUNCTION sme_review_scores_open(did integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM dossier d JOIN round r ON r.id = d.round_id
    WHERE d.id = did AND r.locked_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM publicity p WHERE p.round_id = r.id))
$$;

-- The head of the audit chain and the name this login signs with (NULL: not a registered
-- login, i.e. the owner), for the client to compute the keyed digest of its next entry.
CREATE OR REPLACE FUNCTION sme_review_audit_head(
  OUT head_id integer, OUT head_hash text, OUT actor text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  SELECT a.id, a.hash INTO head_id, head_hash FROM audit_entry a ORDER BY a.id DESC LIMIT 1;
  head_id := coalesce(head_id, 0);
  head_hash := coalesce(head_hash, repeat('0', 64));
  SELECT u.name INTO actor FROM app_user u WHERE u.login = session_user;
END $$;

-- Every new audit entry: the actor is the login's registered name whatever the client wrote,
-- the link is the hash of the entry before, and the id follows the last one (no gaps to fill
-- later). Writers take turns on the same lock as Store.write.
CREATE OR REPLACE FUNCTION sme_review_audit_stamp() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  registered text;
  last_id integer;
  last_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock({SERVER_WRITE_LOCK});
  SELECT u.name INTO registered FROM app_user u WHERE u.login = session_user;
  IF registered IS NOT NULL THEN
    NEW.actor := registered;
  ELSIF pg_has_role(session_user, 'sme_staff', 'MEMBER')
     OR pg_has_role(session_user, 'sme_expert', 'MEMBER') THEN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
      RAISE EXCEPTION 'login % is not registered', session_user USING ERRCODE = '42501';
    END IF;
  END IF;
  SELECT a.id, a.hash INTO last_id, last_hash FROM audit_entry a ORDER BY a.id DESC LIMIT 1;
  NEW.id := coalesce(last_id, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
  RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS sme_review_audit_stamp ON audit_entry;
CREATE TRIGGER sme_review_audit_stamp BEFORE INSERT ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION sme_review_audit_stamp();
"""

MINE = "sme_review_is_my_expert(expert_id) AND sme_review_sees_dossier(dossier_id)"
OPEN = f"{MINE} AND sme_review_scores_open(dossier_id)"

# (table, policy name, command, USING, WITH CHECK) for sme_expert; staff see every row.
EXPERT_POLICIES = (
    ("round", "expert_rounds", "SELECT", "id IN (SELECT sme_review_my_rounds())", None),
    ("dossier", "expert_dossiers", "SELECT", "sme_review_sees_dossier(id)", None),
    (
        "applicant",
        "expert_applicants",
        "SELECT",
        "EXISTS (SELECT 1 FROM dossier d WHERE d.applicant_id = applicant.id)",
        None,
    ),
    ("dossier_version", "expert_versions", "SELECT", "sme_review_sees_dossier(dossier_id)", None),
    (
        "declared_figure",
        "expert_figures",
        "SELECT",
        "version_id IN (SELECT id FROM dossier_version)",
        None,
    ),
    (
        "evidence_file",
        "expert_evidence",
        "SELECT",
        "version_id IN (SELECT id FROM dossier_version)",
        None,
    ),
    ("condition_check", "expert_checks", "SELECT", "sme_review_sees_dossier(dossier_id)", None),
    (
        "evidence_link",
        "expert_links",
        "SELECT",
        "check_id IN (SELECT id FROM condition_check)",
        None,
    ),
    ("expert", "expert_panel", "SELECT", "round_id IN (SELECT sme_review_my_rounds())", None),
    ("conflict", "expert_conflicts", "SELECT", "sme_review_is_my_expert(expert_id)", None),
    ("decision", "expert_decisions", "SELECT", "sme_review_sees_dossier(dossier_id)", None),
    ("certificate", "expert_certificates", "SELECT", "sme_review_sees_dossier(dossier_id)", None),
    ("score", "expert_scores_read", "SELECT", MINE, None),
    ("score", "expert_scores_add", "INSERT", None, OPEN),
    ("score", "expert_scores_change", "UPDATE", OPEN, OPEN),
    ("score", "expert_scores_clear", "DELETE", OPEN, None),
    ("app_user", "expert_self", "SELECT", "login = session_user", None),
)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    if "\x00" in value:
        raise StoreError("口令中不能含有空字符。")
    return "'" + value.replace("'", "''") + "'"


def _require_server(store: Store) -> None:
    if store.engine.dialect.name != "postgresql":
        raise StoreError("该命令只用于共享服务器（PostgreSQL）：请用 --database-url 指定服务器。")


def setup(store: Store, actor: str) -> list[str]:
    """Roles, grants, policies and the audit trigger; safe to run again. Returns what it did."""
    _require_server(store)
    tables = sorted(Base.metadata.tables)
    done: list[str] = []
    with store.write() as session:
        run = session.execute
        owner = session.scalar(text("SELECT tableowner FROM pg_tables WHERE tablename = 'round'"))
        me = session.scalar(text("SELECT session_user"))
        is_super = session.scalar(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")
        )
        if owner != me and not is_super:
            raise StoreError(f"请用拥有数据表的登录（{owner}）运行 server setup；当前登录为 {me}。")
        for group in ROLES.values():
            exists = session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": group})
            if not exists:
                run(text(f"CREATE ROLE {group} NOLOGIN"))
                done.append(f"已创建角色 {group}")
        run(text("GRANT sme_staff TO sme_admin"))
        run(text("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC"))
        run(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
        for group in ROLES.values():
            run(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {group}"))
            run(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {group}"))
            run(text(f"GRANT USAGE ON SCHEMA public TO {group}"))
        closed = {"audit_entry", "app_user"}
        for table in tables:
            if table not in closed:
                run(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {_ident(table)} TO sme_staff"))
        run(text("GRANT SELECT ON alembic_version TO sme_staff, sme_expert"))
        # The audit log: read and append, nothing else, for every group (the owner alone may
        # do more, and the owner is IT, not a reviewer).
        run(text("GRANT SELECT, INSERT ON audit_entry TO sme_staff"))
        run(text("GRANT INSERT, SELECT (id) ON audit_entry TO sme_expert"))  # RETURNING id
        run(text("GRANT SELECT ON app_user TO sme_staff, sme_expert"))
        run(text("GRANT INSERT, UPDATE ON app_user TO sme_admin"))
        run(text("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO sme_staff"))
        for table in EXPERT_READS:
            if table != "alembic_version" and table != "app_user":
                run(text(f"GRANT SELECT ON {_ident(table)} TO sme_expert"))
        run(text("GRANT INSERT, UPDATE, DELETE ON score TO sme_expert"))
        run(text("GRANT INSERT, UPDATE, DELETE ON verdict_cache TO sme_expert"))
        for seq_table in ("score", "audit_entry"):
            seq = session.scalar(text(f"SELECT pg_get_serial_sequence('{seq_table}', 'id')"))
            if seq:
                run(text(f"GRANT USAGE, SELECT ON SEQUENCE {seq} TO sme_expert"))
        done.append("已授予各角色所需的权限（审计表只能追加）")
        run(text(FUNCTIONS))
        for fn in (
            "my_rounds()",
            "is_my_expert(integer)",
            "sees_dossier(integer)",
            "scores_open(integer)",
            "audit_head()",
        ):
            run(text(f"REVOKE ALL ON FUNCTION sme_review_{fn} FROM PUBLIC"))
            run(text(f"GRANT EXECUTE ON FUNCTION sme_review_{fn} TO sme_staff, sme_expert"))
        done.append("已建立审计链的服务器端触发器")
        _policies(session)
        done.append("已启用行级安全策略")
        audit.record(session, actor, "server.setup", after={"steps": done})
    return done


def _policies(session: Session) -> None:
    run = session.execute
    secured = sorted({p[0] for p in EXPERT_POLICIES} | {"score_sheet_issue"})
    for table in secured:
        t = _ident(table)
        run(text(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY"))
        existing = session.scalars(
            text("SELECT policyname FROM pg_policies WHERE tablename = :t"), {"t": table}
        ).all()
        for name in existing:
            run(text(f"DROP POLICY {_ident(name)} ON {t}"))
        if table == "app_user":
            run(text(f"CREATE POLICY staff_read ON {t} FOR SELECT TO sme_staff USING (true)"))
            run(
                text(
                    f"CREATE POLICY admin_all ON {t} FOR ALL TO sme_admin USING (true) "
                    "WITH CHECK (true)"
                )
            )
        else:
            run(
                text(
                    f"CREATE POLICY staff_all ON {t} FOR ALL TO sme_staff USING (true) "
                    "WITH CHECK (true)"
                )
            )
    for table, name, command, using, check in EXPERT_POLICIES:
        sql = f"CREATE POLICY {name} ON {_ident(table)} FOR {command} TO sme_expert"
        if using:
            sql += f" USING ({using})"
        if check:
            sql += f" WITH CHECK ({check})"
        run(text(sql))


# users ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class User:
    login: str
    name: str
    role: str
    created_at: datetime
    created_by: str
    disabled_at: datetime | None

    def as_json(self) -> dict[str, object]:
        return {
            "login": self.login,
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "created_by": self.created_by,
            "disabled": self.disabled_at is not None,
        }


def add_user(store: Store, login: str, name: str, role: str, password: str, actor: str) -> None:
    """A login role in the role's group, with its registered name (the audit log's actor)."""
    _require_server(store)
    if not LOGIN_PATTERN.fullmatch(login):
        raise StoreError(
            f"登录名“{login}”不可用：只能用小写字母、数字和下划线，以字母或下划线开头，最多63个字符。"
        )
    name = name.strip()
    if not name or len(name) > 100:
        raise StoreError("姓名不能为空，且不超过100个字符。")
    if role not in ROLES:
        raise StoreError(f"角色应为 {'、'.join(ROLES)} 之一：{role}")
    if len(password) < 8:
        raise StoreError("口令至少8个字符。")
    with store.write() as session:
        taken = session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login})
        if taken or session.get(AppUser, login) is not None:
            raise StoreError(f"登录名“{login}”已存在。")
        same_name = session.scalars(select(AppUser).where(AppUser.name == name)).first()
        if same_name is not None:
            raise StoreError(
                f"姓名“{name}”已由登录“{same_name.login}”使用：审计记录须能分清每个人。"
            )
        # An admin manages users, so it may create roles (PostgreSQL's CREATEROLE).
        extra = " CREATEROLE" if role == "admin" else ""
        session.execute(
            text(
                f"CREATE ROLE {_ident(login)} LOGIN{extra} PASSWORD {_literal(password)} "
                f"IN ROLE {ROLES[role]}"
            )
        )
        session.add(AppUser(login=login, name=name, role=role, created_by=actor))
        session.flush()
        audit.record(
            session, actor, "server.user_add", after={"login": login, "name": name, "role": role}
        )


def list_users(store: Store) -> list[User]:
    _require_server(store)
    with store.read() as session:
        rows = session.scalars(select(AppUser).order_by(AppUser.role, AppUser.login)).all()
        return [
            User(r.login, r.name, r.role, r.created_at, r.created_by, r.disabled_at) for r in rows
        ]


def disable_user(store: Store, login: str, actor: str) -> None:
    """The login can no longer sign in; its name stays, so the log still says who did what."""
    _require_server(store)
    with store.write() as session:
        user = session.get(AppUser, login)
        if user is None:
            raise StoreError(f"没有登录名为“{login}”的用户。")
        if user.disabled_at is not None:
            raise StoreError(f"用户“{login}”（{user.name}）已于{user.disabled_at:%Y-%m-%d}停用。")
        session.execute(text(f"ALTER ROLE {_ident(login)} NOLOGIN"))
        user.disabled_at = utcnow()
        audit.record(
            session, actor, "server.user_disable", after={"login": login, "name": user.name}
        )
