"""How a petition (and a review request) looks from the public side, reached through app.families.

The petitioner sees the stage, the office's periods (XF 22, 32, 34, 35) and the letters addressed to them.
Which department handles the matter internally, and who, is not shown.
"""

NOUN = "信访事项"
STAGES = {
    "intake_decision": "已收到信访事项，正在审查是否受理",
    "handle_petition": "已受理，正在办理",
    "approve_extension": "已受理，正在办理",
    "record_satisfaction": "已出具处理意见，欢迎您评价办理结果",
    # the linked review case (petition_review)
    "answer_review": "已收到复查（复核）请求，正在办理",
}
DEFAULT_STAGE = "正在办理"
CLOCKS = {
    "intake": ("受理告知期限", "《信访工作条例》第二十二条：应当自收到信访事项之日起15日内决定是否受理，"
                          "并书面告知信访人。"),
    "handling": ("办理期限", "《信访工作条例》第三十四条：应当自受理之日起60日内办结；情况复杂的，经批准可以适当"
                        "延长办理期限，但延长期限不得超过30日，并告知信访人延期理由。"),
    "answer": ("复查（复核）期限", "《信访工作条例》第三十五条、第三十六条：应当自收到复查（复核）请求之日起30日内"
                            "提出意见，并予以书面答复。"),
}
DOCUMENT_KINDS = ("online_receipt", "acceptance_notice", "forward_notice", "assign_notice", "redirect_notice",
                  "not_accept_notice", "handling_opinion", "extension_notice", "review_opinion",
                  "re_review_opinion")
NEXT_STEPS = (
    "本机关自收到信访事项之日起15日内决定是否受理，并书面告知您（《信访工作条例》第二十二条）。",
    "受理后，有关机关应当自受理之日起60日内办结；情况复杂的，可以延长不超过30日，并告知您延期理由（第三十四条）。",
    "您对处理意见不服的，可以自收到书面答复之日起30日内请求原办理机关的上一级机关复查（第三十五条）；"
    "收到处理意见书后，也可以在网上评价办理结果、提出复查请求。",
    "您可以凭信访编号和查询码在网上查询办理进度。",
)
# Online, the petitioner records their own satisfaction on this task (the petition office's task otherwise).
SATISFACTION_TASK = "record_satisfaction"
