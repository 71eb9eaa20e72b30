"""Chinese names of the audit actions (msgids; the English catalog translates them), so staff read
what happened on a case instead of the dotted codes the audit log stores."""

from __future__ import annotations

from flask_babel import gettext

from disputes.formatting import N_

ACTION_LABELS: dict[str, str] = {
    "access.denied": N_("访问被拒绝"),
    "assignment.created": N_("分派专家"),
    "assignment.declined": N_("专家拒绝分派"),
    "assignment.overridden": N_("改派专家"),
    "assignment.recused": N_("专家回避"),
    "assignment.unroutable": N_("暂无符合条件的专家"),
    "attachment.added": N_("添加证据材料"),
    "attachment.removed": N_("删除证据材料"),
    "attachment.shown_to_experts": N_("证据材料恢复向专家提供"),
    "attachment.withheld_from_experts": N_("证据材料不向专家提供"),
    "backup.created": N_("创建备份"),
    "backup.restored": N_("从备份恢复"),
    "case.business_response_recorded": N_("记录经营者答复"),
    "case.contact_shared": N_("消费者同意向经营者提供联系方式"),
    "case.contact_unshared": N_("消费者不再向经营者提供联系方式"),
    "case.evidence_added": N_("消费者补充证据"),
    "case.info_added": N_("消费者补充材料"),
    "case.note_added": N_("添加内部备注"),
    "case.notice_issued": N_("发出文书"),
    "case.objection_recorded": N_("记录回避申请"),
    "case.organisation_linked": N_("关联经营者"),
    "case.organisation_unlinked": N_("解除经营者关联"),
    "case.outcome_recorded": N_("登记处理结果"),
    "case.purged": N_("超过保存期限，案件已删除"),
    "case.status_changed": N_("状态变更"),
    "case.submitted": N_("提交案件"),
    "drafts.purged": N_("长期未提交的草稿已删除"),
    "expert.account_linked": N_("关联专家账号"),
    "expert.account_unlinked": N_("解除专家账号关联"),
    "expert.created": N_("添加专家"),
    "expert.deactivated": N_("停用专家"),
    "expert.reactivated": N_("恢复专家"),
    "expert.updated": N_("修改专家信息"),
    "opinion.released": N_("发布专家意见"),
    "opinion.revision_requested": N_("要求专家修改意见"),
    "opinion.saved": N_("保存专家意见草稿"),
    "opinion.signed": N_("签署专家意见"),
    "organisation.approved": N_("经营者注册审核通过"),
    "organisation.created": N_("登记经营者"),
    "organisation.registered": N_("经营者提交注册"),
    "organisation.rejected": N_("经营者注册未通过审核"),
    "organisation.suspended": N_("暂停经营者账号"),
    "organisation.user_invited": N_("邀请经营者用户"),
    "outbox.resent": N_("重新发送失败的消息"),
    "personal_data.exported": N_("导出完整个人信息"),
    "personal_data.viewed": N_("查看完整个人信息"),
    "user.account_closed": N_("消费者注销账号"),
    "user.contact_updated": N_("更正个人信息"),
    "user.created": N_("创建账号"),
    "user.deactivated": N_("停用账号"),
    "user.invitation_accepted": N_("接受邀请"),
    "user.invited": N_("发送邀请"),
    "user.locked": N_("账号被锁定"),
    "user.login": N_("登录"),
    "user.login_failed": N_("登录失败"),
    "user.logout": N_("退出登录"),
    "user.password_changed": N_("修改密码"),
    "user.password_recovered": N_("通过找回密码设置新密码"),
    "user.password_reset": N_("重置密码"),
    "user.password_reset_requested": N_("申请找回密码"),
    "user.reactivated": N_("恢复账号"),
    "user.role_changed": N_("更改账号角色"),
    "user.registered": N_("注册账号"),
    "user.unlocked": N_("解除锁定"),
}


def action_label(action: str) -> str:
    """Translate an audit action into words (an unknown one is shown as stored)."""
    return gettext(ACTION_LABELS[action]) if action in ACTION_LABELS else action
