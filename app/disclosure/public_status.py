"""How a disclosure request looks from the public side (status lookup, receipt), reached through app.families.

Only what the applicant may know: the stage in plain words, the office's statutory periods towards the
applicant, and the letters addressed to the applicant — never the third-party consultation letter (it is
addressed to someone else) nor the third party's own answer period.
"""

NOUN = "政府信息公开申请"
# Open task (spec name) -> the stage as the applicant reads it.
STAGES = {
    "check_completeness": "已收到申请，正在审查申请内容是否明确、完整",
    "receive_correction": "已向您发出补正告知书，等待您补正申请内容",
    "handle": "正在检索、办理",
    "record_third_party_answer": "正在征求第三方意见（所需时间不计入答复期限）",
    "approve_extension": "正在办理",
    "confidentiality_review": "答复正在审核",
    "approve_reply": "答复正在审核",
    "record_delivery": "答复已作出，正在送达",
}
DEFAULT_STAGE = "正在办理"
# Clock name -> (title for the public, the legal basis in one sentence).
CLOCKS = {
    "reply": ("答复期限", "《政府信息公开条例》第三十三条：行政机关应当自收到申请之日起20个工作日内予以答复；"
                       "需要延长的，经政府信息公开工作机构负责人同意并告知申请人，延长期限最长不超过20个工作日。"
                       "征求第三方和其他机关意见所需时间不计算在内。"),
    "correction": ("补正告知期限", "《政府信息公开条例》第三十条：申请内容不明确的，行政机关应当自收到申请之日起"
                              "7个工作日内一次性告知申请人作出补正。"),
}
# Letters addressed to the applicant (document kinds); others (to a third party) are never shown.
DOCUMENT_KINDS = ("online_receipt", "correction_notice", "extension_notice", "reply", "withdrawal_notice")
# What the receipt tells the applicant happens next.
NEXT_STEPS = (
    "本机关自收到申请之日起20个工作日内作出答复；需要延长答复期限的，将书面告知您，延长期限最长不超过20个工作日"
    "（《政府信息公开条例》第三十三条）。",
    "申请内容不明确的，本机关将在7个工作日内一次性告知您补正；答复期限自收到补正后的申请之日起计算（第三十条）。",
    "涉及第三方合法权益、需要征求意见的，征求意见所需时间不计算在答复期限内（第三十二条、第三十三条）。",
    "您可以凭申请编号和查询码在网上查询办理进度，答复作出后也可在网上下载。",
)
