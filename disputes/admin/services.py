"""Admin writes that span rooms: moving a bureau account between staff, admin and expert, which
also detaches an expert's panel profile (flush + audit, no commit)."""

from __future__ import annotations

from disputes import audit
from disputes.auth.models import Role, User
from disputes.db import db
from disputes.experts import panel
from disputes.experts import queries as expert_queries
from disputes.formatting import N_

#: Roles an admin may move an account between; a consumer account owns cases and stays one.
BUREAU_ROLES = frozenset({Role.staff, Role.admin, Role.expert})
CONSUMER_REFUSAL = N_("消费者账户名下有案件，不能与其他角色互换。")


class RoleChangeError(ValueError):
    """The role change is refused; the message is a msgid shown next to the role field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def change_role(user: User, role: Role, actor: User) -> bool:
    """Give `user` a new bureau role and audit it; return False when it already has it.

    An expert account leaving the expert role is unlinked from its panel profile, so the panel
    shows that profile without a usable account until staff link another.
    """
    if user.role not in BUREAU_ROLES or role not in BUREAU_ROLES:
        raise RoleChangeError(CONSUMER_REFUSAL)
    if user.id == actor.id and role != user.role:
        raise RoleChangeError(N_("不能更改您自己的角色，请由另一位管理员操作。"))
    if role == user.role:
        return False
    before = user.role
    if before == Role.expert:
        expert = expert_queries.get_expert_for_user(user.id)
        if expert is not None:
            panel.unlink_account(expert, actor)
    user.role = role
    db.session.flush()
    audit.record(
        actor, "user.role_changed", user, before={"role": str(before)}, after={"role": str(role)}
    )
    return True
