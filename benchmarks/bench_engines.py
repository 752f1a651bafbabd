"""Warm speed of the topic search and the verifier on the seed corpus, and the
calibration of the topic search's related-clause threshold.

    python benchmarks/bench_engines.py [--index DIR] [--calibrate]

Targets on a 2-core machine: topic ≤ 50 ms, verify ≤ 100 ms per sentence (warm:
models and index loaded, every input new to the caches). Prints what it measures.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.app import App, Settings  # noqa: E402
from benchmarks.timing import percentile, timed  # noqa: E402

TOPICS = ["商业秘密", "商業秘密", "专利代理师", "专利代理人", "质押融资", "WIPO", "PCT", "数据 知识产权", "地理标志",
          "专利导航", "版权", "著作权", "商标", "人工智能", "区块链", "元宇宙", "维权援助", "贯标", "高价值专利",
          "服务贸易", "营商环境", "知识产权保险", "专利池", "长三角", "海外维权", "示范区", "技术转移", "展会",
          "量子计算", "漕河泾 服务业"]
STATEMENTS = [
    "徐汇区专利代理师总人数达到520人。", "徐汇区专利代理师总人数达到530人。", "漕河泾示范区执业专利代理师总人数达750人。",
    "郑州计划培养600名执业专利代理师。", "郑州计划培养750名执业专利代理师。", "海曙區到2026年底有效發明專利數量達到5000件。",
    "海曙区有效发明专利数量到2026年底达到6000件。", "浦东新区软件著作权新增登记量达到1.8万件。",
    "浦东新区截至2019年每万人口发明专利拥有量达到58件。", "海曙区知识产权质押融资累计金额达200亿元。",
    "徐汇区专利、商标品牌质押融资总额超过20亿元。", "徐汇区专利、商标品牌质押融资总额超过20万元。",
    "漕河泾示范区服务业务出口额增至1亿美元。", "郑州市知识产权服务机构总数达到1500家。",
    "海曙区将推进商业秘密保护创新试点建设。", "徐汇区将深化与WIPO的交流合作。", "海曙区要做强做优“翠知创”知识产权赋能中心。",
    "徐汇区到2026年专利代理师总人数达到520人。", "北京市将建设知识产权交易中心。", "个人所得税的起征点提高到每月5000元。",
    "徐汇区将建设月球科研基地。", "郑州要做强做优“翠知创”知识产权赋能中心。", "深圳市专利代理师总人数达到800人。",
    "漕河泾示范区培育不少于5家国际品牌机构。", "郑州市建设知识产权维权保护工作站40家。", "徐汇区PCT国际专利申请量达600件。",
    "海曙区数据知识产权证书达到200张。", "漕河泾知识产权服务业营业收入年均增长不低于7%。",
    "郑州市专利代理机构总数达到120家。", "浦东新区上海市著名商标数量达到255件。",
]
CALIBRATION_TERMS = ["商业秘密", "专利代理师", "质押融资", "地理标志", "专利导航", "版权", "商标", "人工智能", "区块链",
                     "元宇宙", "维权援助", "贯标", "高价值专利", "服务贸易", "营商环境", "人才培养", "知识产权保险",
                     "专利池", "非正常专利", "长三角", "海外维权", "数据知识产权", "示范区", "技术转移", "展会"]


def report(name: str, times: list[float]) -> None:
    print(f"{name:<22} n={len(times):>2}  p50 {statistics.median(times):6.1f} ms  p95 {percentile(times, 0.95):6.1f} ms"
          f"  max {max(times):6.1f} ms")


def calibrate(app: App) -> None:
    """Similarity of each mention to the centroid of the other mentions (leave-one-out),
    against the similarity of the clauses that do not mention the term."""
    topics = app.topics
    vectors = topics._vectors
    mentions, others = [], []
    for term in CALIBRATION_TERMS:
        result = topics.search(term)
        found = [app.index.position[c.clause_id] for d in result.documents for c in d.clauses if c.match != "related"]
        if len(found) < 2:
            continue
        for position in found:
            rest = vectors[[p for p in found if p != position]].mean(axis=0)
            mentions.append(float(vectors[position] @ (rest / np.linalg.norm(rest))))
        centroid = vectors[found].mean(axis=0)
        similarity = vectors @ (centroid / np.linalg.norm(centroid))
        others += [float(s) for p, s in enumerate(similarity) if p not in found]
    print(f"mentions (leave-one-out) n={len(mentions)}: p25 {percentile(mentions, 0.25):.3f}  "
          f"median {statistics.median(mentions):.3f}  p75 {percentile(mentions, 0.75):.3f}")
    print(f"non-mentions n={len(others)}: median {statistics.median(others):.3f}  p90 {percentile(others, 0.9):.3f}  "
          f"p95 {percentile(others, 0.95):.3f}")
    threshold = percentile(mentions, 0.25)
    print(f"suggested RELATED_MIN_SIMILARITY = {threshold:.2f} "
          f"({sum(s >= threshold for s in others) / len(others):.1%} of non-mentions reach it)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--calibrate", action="store_true", help="also print the related-threshold calibration")
    args = parser.parse_args()

    app = App(Settings(corpus=args.corpus, index=args.index))
    app.ensure_index(progress=False)
    started = time.perf_counter()
    app.topics.search("热身")   # loads clause vectors, normalised texts
    app.verifier.verify("热身。")  # loads targets, idf
    app.retriever.search("热身", 1)  # loads the model and the vector store
    print(f"loading (index, model, clause vectors, targets): {time.perf_counter() - started:.1f} s")
    report("topic", timed(app.topics.search, TOPICS))
    report("verify (1 sentence)", timed(app.verifier.verify, STATEMENTS))
    clauses = {s: [h.clause for h in app.retriever.search(s, 5)] for s in STATEMENTS}
    report("check (given clauses)", timed(lambda s: app.verifier.check(s, clauses[s]), STATEMENTS))
    report("query embedding only", timed(lambda s: app.embedder.embed([s + "。"], query=True), STATEMENTS))
    if args.calibrate:
        calibrate(app)


if __name__ == "__main__":
    main()
