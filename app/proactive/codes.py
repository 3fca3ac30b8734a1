"""Code tables of proactive disclosure (主动公开): the GIO 20 categories, topics, and what a published item's
history says. The forms in ``bpmn/forms/proactive_*.json`` offer the same codes (a test keeps them in step)."""
from __future__ import annotations

from dataclasses import dataclass

GIO = "《政府信息公开条例》"


@dataclass(frozen=True)
class Category:
    code: str
    number: str  # the category's part of the index number (索引号)
    label: str
    basis: str  # the item of GIO 20 it falls under


# GIO 20: what an administrative body publishes proactively, in the article's order.
CATEGORIES = {c.code: c for c in (
    Category("normative_documents", "01", "行政法规、规章和规范性文件", f"{GIO}第二十条第（一）项"),
    Category("functions", "02", "机构职能", f"{GIO}第二十条第（二）项"),
    Category("plans", "03", "规划计划", f"{GIO}第二十条第（三）项"),
    Category("statistics", "04", "统计信息", f"{GIO}第二十条第（四）项"),
    Category("licensing", "05", "行政许可", f"{GIO}第二十条第（五）项"),
    Category("penalties", "06", "行政处罚和行政强制", f"{GIO}第二十条第（六）项"),
    Category("budget", "07", "预算决算", f"{GIO}第二十条第（七）项"),
    Category("fees", "08", "收费", f"{GIO}第二十条第（八）项"),
    Category("procurement", "09", "政府采购", f"{GIO}第二十条第（九）项"),
    Category("major_projects", "10", "重大建设项目", f"{GIO}第二十条第（十）项"),
    Category("livelihood", "11", "扶贫、教育、医疗、社会保障、促进就业", f"{GIO}第二十条第（十一）项"),
    Category("emergencies", "12", "突发公共事件应对", f"{GIO}第二十条第（十二）项"),
    Category("inspections", "13", "监督检查", f"{GIO}第二十条第（十三）项"),
    Category("civil_service", "14", "公务员招考录用", f"{GIO}第二十条第（十四）项"),
    Category("other", "15", "其他依法应当主动公开的信息", f"{GIO}第二十条第（十五）项"),
)}

# 主题分类 (practice: the subject headings of the government portals).
TOPICS = {
    "general": "综合政务", "economy": "国民经济管理", "finance": "财政、金融、审计", "construction": "城乡建设、环境保护",
    "agriculture": "农业、林业、水利", "education": "科技、教育", "health": "卫生、体育", "labour": "劳动、人事、监察",
    "civil_affairs": "民政、扶贫、救灾", "public_security": "公安、安全、司法", "other": "其他",
}

# What happened to a published item, as the catalogue shows it.
STATUS_LABELS = {"published": "已公开", "withdrawn": "已撤回"}
