"""The service operators a BPMN file may call, and their parameters.

Declared here (not per process) because validation at deploy time must know
them; the handlers that carry them out live in :mod:`app.services.handlers`.
"""
from workflows.services import OperatorRegistry

OPERATORS = OperatorRegistry()
OPERATORS.declare("generate_letter", required=["kind"],
                  description="生成文书（PDF），按机关和年度分配文号，存档并记入案件历史")
OPERATORS.declare("clock", required=["name", "action"], optional=["kind", "on", "reason", "days", "until"],
                  description="法定期限台账：start/pause/resume/restart/extend/stop/promise/set_due/discard"
                              "（days：逐案设定的期限或延长天数；until：承诺或确定的日期；discard：本案不需要的期限不计）；"
                              "更新 <name>_due_date、<name>_remind_at、<name>_overdue_at")
OPERATORS.declare("notify", required=["lane", "message"], optional=["kind", "task", "pending"],
                  description="通知某一泳道的所有人员（站内消息；配置了邮件服务器时同时发邮件）；"
                              "给出 task（用户任务编号）时只通知该任务尚未办理的待办所属的人员（已签收的为签收人，"
                              "交由部门办理的为该部门人员）；给出 pending（用户任务编号）时在消息后注明尚未办理该任务的部门或人员")
OPERATORS.declare("assess_fee", required=["method"], optional=["pages"],
                  description="计算信息处理费（国办函〔2020〕109号）：method 为 per_request（按件）或 per_volume（按量，"
                              "pages 为页数）；更新 fee_amount、fee_basis、fee_pauses_reply（缴费期间是否暂停答复期限）")
OPERATORS.declare("family_action", required=["name"], optional=["on", "reason"],
                  description="流程所属业务类别自己的办理步骤（在其 family.py 中声明，例如主动公开的发布、撤回，"
                              "政务信息的记分），与案件同一事务内完成")
