"""Score `verify` on the statements of eval/verify/ (or any file of that shape).

    python eval/verify/run.py eval/verify/laws.jsonl --corpus KB/corpus --index KB/index
    python eval/verify/run.py eval/verify/plans.jsonl

Prints, per file and split, how many statements are judged as expected, by expected verdict; with --list,
the `dev` statements judged otherwise (never the `held` ones). The laws file needs its 20 laws in the
knowledge base (`policy-assistant laws add …`, or `laws add --all`); the plans file needs only the seeds.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from assistant.app import App, Settings
from assistant.evaluate import UNSEEN

VERDICTS = ("supported", "contradicted", "not_found")


def verdict(app: App, statement: str) -> tuple[str, str]:
    """The statement's verdict, the worst of its sentences' (contradicted > not_found > supported), and why."""
    sentences = app.verifier.verify(statement).sentences
    statuses = {s.status for s in sentences}
    worst = next((s for s in ("contradicted", "not_found") if s in statuses), "supported")
    return worst, "；".join(s.reason for s in sentences)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--corpus", type=click.Path(path_type=Path), default=Path("corpus"), show_default=True)
@click.option("--index", type=click.Path(path_type=Path), default=Path("index"), show_default=True)
@click.option("--list", "listing", is_flag=True, help="show the dev statements judged otherwise than expected")
def main(files: tuple[Path, ...], corpus: Path, index: Path, listing: bool) -> None:
    app = App(Settings(corpus=corpus, index=index))
    for path in files:
        right, total = Counter(), Counter()
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            got, reason = verdict(app, item["statement"])
            key = (item["split"], item["expected"])
            total[key] += 1
            right[key] += got == item["expected"]
            if listing and got != item["expected"] and item["split"] != UNSEEN:
                click.echo(f"  {item['id']} expected {item['expected']}, got {got}: {item['statement']}\n    {reason}")
        for split in sorted({s for s, _ in total}):
            kinds = ", ".join(f"{e} {right[split, e]}/{total[split, e]}" for e in VERDICTS if total[split, e])
            click.echo(f"{path}: {split} {sum(right[split, e] for e in VERDICTS)}/"
                       f"{sum(total[split, e] for e in VERDICTS)} ({kinds})")


if __name__ == "__main__":
    main()
