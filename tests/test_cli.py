"""CLI commands: users create/list, demo load/logins (idempotent, commit once), stats rebuild;
and every command is registered by disputes/cli/ alone."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from disputes import cli, demo
from disputes.auth import services as user_services
from disputes.auth.models import Role, User
from disputes.cases.models import Case, CaseStatus
from disputes.cases.vocabulary import VehicleSystem
from disputes.db import db
from disputes.experts.models import (
    AffiliationKind,
    Assignment,
    AssignmentStatus,
    Expert,
    ExpertAffiliation,
    ExpertSpecialty,
)

CREATE = ["users", "create", "--role", "staff", "--name", "王芳", "--mobile", "13900001111"]


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_users_create_makes_an_account(app, runner):
    result = runner.invoke(args=[*CREATE, "--password", "sanbao2026x"])
    assert result.exit_code == 0, result.output
    assert "Created staff" in result.output
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.role == Role.staff
        assert user.check_password("sanbao2026x")


def test_users_create_prompts_for_the_password(app, runner):
    result = runner.invoke(args=CREATE, input="sanbao2026x\nsanbao2026x\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(db.select(User)).check_password("sanbao2026x")


def test_users_create_twice_refuses_the_duplicate(app, runner):
    assert runner.invoke(args=[*CREATE, "--password", "sanbao2026x"]).exit_code == 0
    result = runner.invoke(args=[*CREATE, "--password", "sanbao2026x"])
    assert result.exit_code != 0
    assert "已注册" in result.output
    with app.app_context():
        assert _count(User) == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param(["--password", "short1"], "至少 10 位", id="weak-password"),
        pytest.param(["--password", "sanbao2026x", "--mobile", "123"], "11 位", id="bad-mobile"),
    ],
)
def test_users_create_explains_bad_input(app, runner, extra, message):
    result = runner.invoke(args=[*CREATE, *extra])
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert _count(User) == 0


def test_users_list_shows_accounts(runner, make_user):
    make_user("admin", name="管理员乙", email="boss@example.test", mobile=None)
    result = runner.invoke(args=["users", "list", "--role", "admin"])
    assert result.exit_code == 0
    assert "boss@example.test" in result.output
    assert "管理员乙" in result.output


def test_demo_load_twice_changes_nothing_the_second_time(app, runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        counts = {m.__name__: _count(m) for m in (User, Expert, Case, Assignment, ExpertSpecialty)}
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    assert "nothing changed" in second.output
    with app.app_context():
        assert {
            m.__name__: _count(m) for m in (User, Expert, Case, Assignment, ExpertSpecialty)
        } == counts
    assert counts["Expert"] == 22
    assert counts["User"] == 27  # with the demo business's login
    assert counts["Case"] == 4


def test_demo_panel_covers_every_system_with_brand_affiliations(app, app_ctx):
    demo.load()
    db.session.commit()
    coverage = Counter(db.session.scalars(db.select(ExpertSpecialty.system)))
    assert set(coverage) == set(VehicleSystem)
    assert all(n >= 2 for n in coverage.values())
    brands = db.session.scalars(
        db.select(ExpertAffiliation.name).where(ExpertAffiliation.kind == AffiliationKind.brand)
    ).all()
    assert len(brands) >= 2
    assert "示例品牌" in brands
    for expert in db.session.scalars(db.select(Expert)):
        assert 3 <= expert.capacity <= 6
        assert expert.user.role == Role.expert


def test_demo_cases_are_in_different_states(app, app_ctx):
    demo.load()
    db.session.commit()
    statuses = Counter(db.session.scalars(db.select(Case.status)))
    assert {
        CaseStatus.submitted,
        CaseStatus.screening,
        CaseStatus.routed,
        CaseStatus.closed,
    } <= set(statuses)
    routed = db.session.scalar(db.select(Case).where(Case.status == CaseStatus.routed))
    active = db.session.scalars(
        db.select(Assignment).where(
            Assignment.case_id == routed.id, Assignment.status == AssignmentStatus.active
        )
    ).all()
    assert len(active) == 1
    closed = db.session.scalar(db.select(Case).where(Case.status == CaseStatus.closed))
    assert closed.outcome is not None
    assert closed.closed_at is not None
    assert all(case.problems and case.repair_events for case in db.session.scalars(db.select(Case)))


def test_every_demo_login_works_with_the_demo_password(app, app_ctx):
    demo.load()
    db.session.commit()
    for role, login, _name in demo.logins():
        user = user_services.authenticate(login, demo.DEMO_PASSWORD)
        assert user is not None, login
        assert user.role == role


def test_demo_logins_prints_every_account(runner):
    result = runner.invoke(args=["demo", "logins"])
    assert result.exit_code == 0
    assert result.output.count(demo.DEMO_PASSWORD) == 27
    assert "business@demo.sanbao.local" in result.output
    assert "expert22@demo.sanbao.local" in result.output


def test_stats_rebuild_recounts_the_tallies(app, runner, make_user, make_case):
    from datetime import datetime

    from disputes.staff.tallies import StatsDirtyDay, StatusTally

    make_case(make_user(), submitted_at=datetime(2025, 5, 1, 2))
    with app.app_context():
        db.session.execute(db.delete(StatusTally))
        db.session.commit()

    result = runner.invoke(args=["stats", "rebuild"])

    assert result.exit_code == 0, result.output
    assert "statistics tallies rebuilt" in result.output
    with app.app_context():
        assert _count(StatsDirtyDay) == 0
        counted = db.session.scalars(db.select(StatusTally).where(StatusTally.grain == "y")).all()
        assert [(t.starts.year, t.n) for t in counted] == [(2025, 1)]


EXPERT = ["users", "create", "--role", "expert", "--name", "新专家", "--password", "sanbao2026x"]


def test_users_create_links_an_expert_account_to_its_profile(app, runner, make_expert):
    make_expert("E23", user=False)

    result = runner.invoke(args=[*EXPERT, "--email", "e23@example.test", "--expert-code", "E23"])

    assert result.exit_code == 0, result.output
    assert "Linked to expert E23" in result.output
    with app.app_context():
        expert = db.session.scalar(db.select(Expert).where(Expert.code == "E23"))
        assert expert.user.email == "e23@example.test"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--expert-code", "E99"], "no expert with code", id="unknown-code"),
        pytest.param(["--expert-code", "E01"], "already linked", id="already-linked"),
    ],
)
def test_users_create_refuses_a_profile_it_cannot_link(app, runner, make_expert, args, message):
    make_expert("E01")

    result = runner.invoke(args=[*EXPERT, "--email", "e23@example.test", *args])

    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.email == "e23@example.test")) is None


def test_users_create_links_only_expert_accounts(app, runner, make_expert):
    make_expert("E23", user=False)

    result = runner.invoke(args=[*CREATE, "--password", "sanbao2026x", "--expert-code", "E23"])

    assert result.exit_code != 0
    assert "--role expert" in result.output


#: Ways a module can put a command on `flask`: a group or command object, a blueprint's CLI group,
#: or adding to the app's CLI.
REGISTERS = re.compile(
    r"AppGroup\(|click\.(command|group)\(|\.cli\.(command|group)\(|add_command\(|cli_group="
)
PACKAGE = Path(cli.__file__).parent


def _registering_modules(folder: Path) -> set[str]:
    return {
        str(path.relative_to(folder))
        for path in folder.rglob("*.py")
        if REGISTERS.search(path.read_text(encoding="utf-8"))
    }


def test_every_command_is_on_the_app_through_disputes_cli(app):
    names = {command.name for command in cli.COMMANDS}

    assert names == {
        *("users", "demo", "stats", "audit", "uploads", "privacy", "experts"),
        *("backup", "restore"),
    }
    for command in cli.COMMANDS:
        assert app.cli.commands[command.name] is command
    # Flask-Migrate's `db` is the only command the app's CLI has from elsewhere.
    assert set(app.cli.commands) == names | {"db"}


def test_no_module_outside_disputes_cli_registers_a_command():
    inside = _registering_modules(PACKAGE)

    assert inside >= {"__init__.py", "users.py", "demo.py", "experts.py", "backup.py"}
    assert _registering_modules(PACKAGE.parent) == {f"cli/{name}" for name in inside}
