"""Builds benchmark corpora of realistic Vietnamese text: N passages, recombined from real sentences.

Sentences come from the ALQAC law articles (../shared/eval/alqac/docs.jsonl, read in place,
never copied into the project) and the bundled corpus. Each generated document is a .txt file
(title line, then paragraphs of 2-5 sentences drawn at random), and documents are added until
vnsearch's own passage splitter counts N passages. The seed is fixed, so a size always gives the
same corpus. Recombined text repeats real sentences: use it for query latency and growth, not
for indexing throughput (a cache of repeated sentences would flatter it).

    python bench/make_corpus.py 10000 bench/out/corpus-10k
    python bench/make_corpus.py 200000 bench/out/corpus-200k --seed 7
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ALQAC_DOCS = ROOT.parent / "shared" / "eval" / "alqac" / "docs.jsonl"
BUNDLED = ROOT / "corpus"
SEED = 20231

_SENTENCE_RE = re.compile(r"(?<=[.;:!?])\s+(?=\S)")
PARAGRAPHS_PER_DOCUMENT = (3, 12)
SENTENCES_PER_PARAGRAPH = (2, 5)


def real_sentences(alqac: Path = ALQAC_DOCS, bundled: Path = BUNDLED) -> tuple[list[str], list[str]]:
    """(sentences, titles) of the source texts; sentences are one line, 4+ words."""
    texts, titles = [], []
    if alqac.exists():
        for line in alqac.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                texts.append(record["text"])
                titles.append(record.get("title") or record["id"])
    for path in sorted(bundled.glob("*.txt")):
        first, _, rest = path.read_text(encoding="utf-8").partition("\n")
        texts.append(rest)
        titles.append(first.strip())
    sentences = []
    for text in texts:
        for sentence in _SENTENCE_RE.split(" ".join(text.split())):
            if len(sentence.split()) >= 4:
                sentences.append(sentence)
    if not sentences:
        raise SystemExit(f"no source text: {alqac} and {bundled} are missing or empty")
    return sentences, titles


def make_corpus(passages: int, out: Path, seed: int = SEED) -> dict:
    """Write .txt documents into out until they hold `passages` passages; return counts."""
    from searcher.passages import split_passages

    rng = random.Random(seed)
    sentences, titles = real_sentences()
    out.mkdir(parents=True, exist_ok=True)
    total = documents = chars = 0
    while total < passages:
        title = rng.choice(titles)
        paragraphs = [" ".join(rng.choices(sentences, k=rng.randint(*SENTENCES_PER_PARAGRAPH)))
                      for _ in range(rng.randint(*PARAGRAPHS_PER_DOCUMENT))]
        while paragraphs:  # the last document is cut short to land on the count
            text = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
            count = len(split_passages(text))
            if total + count <= passages:
                break
            paragraphs.pop()
        if not paragraphs:
            break
        documents += 1
        total += count
        chars += len(text)
        (out / f"doc-{documents:06d}.txt").write_text(text, encoding="utf-8")
    return {"passages": total, "documents": documents, "chars": chars, "seed": seed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("passages", type=int, help="how many passages the corpus holds")
    parser.add_argument("out", type=Path, help="folder to write the .txt documents into (created)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    if args.out.exists() and any(args.out.iterdir()):
        raise SystemExit(f"{args.out} is not empty")
    print(json.dumps(make_corpus(args.passages, args.out, args.seed)))


if __name__ == "__main__":
    main()
