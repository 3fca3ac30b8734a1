"""Code tables of government-information submission (政务信息报送). The forms in
``bpmn/forms/information_*.json`` offer the same codes (a test keeps them in step)."""

INFO_TYPES = {"dynamic": "动态", "experience": "经验", "problem": "问题", "suggestion": "建议", "urgent": "紧急突发"}
URGENT = "urgent"

# Where the office adopted an item; each earns the points the settings give it (app.information.settings).
ADOPTION_PLACES = {"local": "本级《政务信息》刊物采用", "superior": "报上级采用", "leader": "领导批示"}
REVIEW_OUTCOMES = {"adopted": "采用", "returned": "退回修改", "rejected": "不予采用"}
OUTCOME_LABELS = {"pending": "待编辑审核", "adopted": "已采用", "rejected": "未采用"}
LATE = "late"  # the score line of an urgent item whose first report came too late (迟报)
