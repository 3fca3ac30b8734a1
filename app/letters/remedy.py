"""The remedy clause (救济途径告知) of letters that decide a request: the one wording every letter prints.

《行政复议法》 (2023, in force 2024-01-01) art. 20, 23, 24 and 《行政诉讼法》 art. 45, 46: 60 days from receipt
to apply for administrative reconsideration, or 6 months to sue. Since 2024-01-01 a refusal to disclose
government information must go to reconsideration before court (复议前置, FY 23.1(四)), and the letter must say
so (FY 23.2). The reconsideration body is normally the people's government at the same level (FY 24): it is
the agency setting ``reconsideration_body``. First-instance jurisdiction is normally a basic people's court
(SS 14), which the office cannot always name: the letter says "依法向人民法院提起行政诉讼" unless the agency
sets ``court``.

Templates print the paragraph with ``{% include "letters/_remedy.html" %}``; the context key is ``remedy``.
"""
from __future__ import annotations

import datetime

RECONSIDERATION_FIRST_SINCE = datetime.date(2024, 1, 1)
FY = "《中华人民共和国行政复议法》"


def court_phrase(agency: dict) -> str:
    """Where to sue: the court the agency configured, else the law's general wording."""
    court = (agency.get("court") or "").strip()
    return f"向{court}提起行政诉讼" if court else "依法向人民法院提起行政诉讼"


def remedy_clause(agency: dict, *, issued_on: datetime.date, document: str = "答复书",
                  refused: str | None = None, you: str = "您") -> str:
    """The remedy paragraph of a letter named ``document`` (答复书, 告知书) issued on ``issued_on``.

    ``refused`` names what was refused to disclose (e.g. "不予公开", "不予公开部分内容") when the letter refuses
    disclosure: from 2024-01-01 on the clause then requires reconsideration first. Otherwise the applicant
    may choose between reconsideration and suit. ``agency["reconsideration_body"]`` is required. ``you`` is how
    the letter addresses its reader (您, or 贵单位 for an organisation).
    """
    body = agency["reconsideration_body"]
    court = court_phrase(agency)
    if refused and issued_on >= RECONSIDERATION_FIRST_SINCE:
        return (f"根据{FY}第二十三条的规定，对本机关{refused}的决定不服的，{you}应当先向行政复议机关申请行政复议；"
                f"对行政复议决定不服的，可以再依法向人民法院提起行政诉讼。{you}可以自收到本{document}之日起六十日内"
                f"向{body}申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内{court}。")
    subject = "本答复" if document == "答复书" else "本机关的上述处理"
    return (f"如对{subject}不服，{you}可以自收到本{document}之日起六十日内向{body}申请行政复议，"
            f"或者自收到本{document}之日起六个月内{court}。")
