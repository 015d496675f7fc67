"""Example view-models, one per template: documentation that renders.

Used by the tests and by ``manage.py render_document_samples`` to look at every
layout. Fictitious subjects and numbers only.
"""

import datetime

from .models import DocumentKind

TEMPLATES = {
    DocumentKind.COMMITMENT_LETTER: "documents/commitment_letter.html",
    DocumentKind.CREDIT_KEEPING_COMMITMENT: "documents/credit_keeping_commitment.html",
    DocumentKind.COURT_COMMITMENT: "documents/court_commitment.html",
    DocumentKind.ACCEPTANCE_NOTICE: "documents/acceptance_notice.html",
    DocumentKind.REFUSAL_NOTICE: "documents/refusal_notice.html",
    DocumentKind.DECISION_NOTICE: "documents/decision_notice.html",
    DocumentKind.TRAINING_CERTIFICATE: "documents/training_certificate.html",
    DocumentKind.OBJECTION_RECEIPT: "documents/objection_receipt.html",
    DocumentKind.OBJECTION_ANSWER: "documents/objection_answer.html",
}

_SUBJECT = {"name": "雅安市青衣江茶业有限公司", "code": "91511800MA62X0Q12T"}
_RECORD = {
    "decision_no": "雅市监罚〔2026〕17号",
    "department": "雅安市市场监督管理局",
    "decision_date": datetime.date(2026, 1, 12),
    "summary": "未按规定公示年度报告，责令改正并处罚款人民币五千元。",
}
_SIGNED_AT = datetime.datetime(2026, 5, 8, 6, 3, tzinfo=datetime.timezone.utc)
_COMMITMENTS = [
    "所提交的信用修复申请材料真实、准确、完整，不存在虚假记载、误导性陈述或重大遗漏。",
    "已履行行政处罚决定规定的全部义务，已纠正失信行为并完成整改。",
    "严格遵守法律法规，依法诚信经营，自觉接受政府部门和社会公众监督。",
    "如违背承诺，自愿接受相关部门依法依规实施的惩戒，并承担相应法律责任。",
]


def _signing():
    return {
        "signatory": {"name": "李明", "title": "法定代表人"},
        "signed_at": _SIGNED_AT,
        "signed_by": "qingyi-tea",
        "signed_ip": "203.0.113.24",
    }


SAMPLE_CONTEXTS = {
    DocumentKind.COMMITMENT_LETTER: {
        "subject": _SUBJECT,
        "record": _RECORD,
        "commitments": _COMMITMENTS,
        **_signing(),
    },
    DocumentKind.CREDIT_KEEPING_COMMITMENT: {
        "subject": _SUBJECT,
        "record": _RECORD,
        "commitments": [
            "依法经营、诚实守信，按时履行纳税、公示年报等法定义务。",
            "建立健全内部信用管理制度，指定专人负责信用事务。",
            "主动公开守信承诺，接受社会监督。",
        ],
        **_signing(),
    },
    DocumentKind.COURT_COMMITMENT: {
        "subject": {"name": "雅安市雨城区顺达建材经营部", "code": "92511802MA6BXK2L3D"},
        "court": {"name": "雅安市雨城区人民法院"},
        "court_case_no": "（2026）川1802执245号",
        "creditor": {"name": "四川蒙顶建设工程有限公司"},
        "settlement": {
            "agreement_no": "HJ-2026-0031",
            "total_amount": "120000.00",
            "instalments": [
                {"due_date": datetime.date(2026, 5, 31), "amount": "40000.00"},
                {"due_date": datetime.date(2026, 7, 31), "amount": "40000.00"},
                {"due_date": datetime.date(2026, 9, 30), "amount": "40000.00"},
            ],
        },
        "commitments": [
            "按执行和解协议约定的期限和金额足额履行各期付款义务。",
            "履行期间不转移、隐匿财产，不实施高消费行为。",
            "如未按期履行，同意法院恢复信用惩戒措施并依法恢复执行。",
        ],
        **_signing(),
    },
    DocumentKind.ACCEPTANCE_NOTICE: {
        "subject": _SUBJECT,
        "application": {"kind_label": "信用修复申请", "filed_on": datetime.date(2026, 5, 8)},
        "record": _RECORD,
        "accepted_on": datetime.date(2026, 5, 11),
        "reviewer": "雅安市市场监督管理局",
        "decision_due": datetime.date(2026, 5, 14),
        "notes": ["认定单位可能安排约谈，请保持联系方式畅通。"],
        "issuer": {"name": "雅安市社会信用体系建设办公室", "officer": "王晓", "officer_title": "审核员"},
    },
    DocumentKind.REFUSAL_NOTICE: {
        "subject": _SUBJECT,
        "application": {"kind_label": "信用修复申请", "filed_on": datetime.date(2026, 5, 8)},
        "record": _RECORD,
        "refused_on": datetime.date(2026, 5, 11),
        "reason": "申请材料不齐全，无法证明已履行行政处罚决定规定的义务。",
        "basis": "现行信用修复规则第十条（申请材料）",
        "missing": ["罚款缴纳凭证（加盖收款单位印章）", "整改报告", "信用修复培训证明"],
        "issuer": {"name": "雅安市社会信用体系建设办公室", "officer": "王晓", "officer_title": "审核员"},
    },
    DocumentKind.DECISION_NOTICE: {
        "subject": _SUBJECT,
        "application": {"kind_label": "信用修复申请", "filed_on": datetime.date(2026, 5, 8)},
        "record": _RECORD,
        "outcome": "approved",
        "reason": "申请人已缴纳罚款并完成年度报告公示，已作出信用承诺并完成信用修复培训，符合信用修复条件。",
        "decided_on": datetime.date(2026, 5, 13),
        "decided_by": "雅安市市场监督管理局",
        "publication_stopped_at": datetime.datetime(2026, 5, 13, 2, 30, tzinfo=datetime.timezone.utc),
        "partners_notified": True,
        "issuer": {"name": "雅安市市场监督管理局"},
    },
    DocumentKind.TRAINING_CERTIFICATE: {
        "subject": _SUBJECT,
        "trainee": {"name": "李明", "title": "法定代表人"},
        "certificate_no": "YA-XF-PX-2026-0088",
        "training_name": "信用修复专题培训",
        "organiser": "雅安市社会信用体系建设办公室",
        "completed_on": datetime.date(2026, 5, 6),
        "hours": 4,
        "topics": ["社会信用体系建设政策法规", "信用修复流程与要求", "企业信用风险管理"],
    },
    DocumentKind.OBJECTION_RECEIPT: {
        "subject": _SUBJECT,
        "record": _RECORD,
        "grounds_label": "信息错误",
        "statement": "处罚决定书中的罚款金额记载有误，实际为人民币五千元。",
        "requested_correction": [{"label": "罚款金额", "value": "5000.00 元"}],
        "filed_on": datetime.date(2026, 5, 8),
        "accepted_on": datetime.date(2026, 5, 9),
        "answer_due": datetime.date(2026, 6, 5),
        "marked": True,
    },
    DocumentKind.OBJECTION_ANSWER: {
        "subject": _SUBJECT,
        "record": _RECORD,
        "filed_on": datetime.date(2026, 5, 8),
        "outcome": "corrected",
        "reason": "经认定单位核实，平台记载的罚款金额与原处罚决定书不一致，已按原决定书更正。",
        "corrections": [
            {"label": "罚款金额", "old": "50000.00 元", "new": "5000.00 元"},
            {"label": "处罚内容", "old": "罚款", "new": "责令改正，罚款"},
        ],
        "resolved_on": datetime.date(2026, 5, 20),
        "review": "如对处理结果有异议，可自收到本告知书之日起 5 个工作日内向平台申请复核。",
    },
}
