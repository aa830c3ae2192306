"""Read and parse every document under a folder (the shared laws corpus by default) and print the figures."""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.ingest.formats import IngestError, read_text  # noqa: E402
from assistant.ingest.structure import parse_document  # noqa: E402

SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("corpus", type=Path, nargs="?", default=Path(__file__).resolve().parents[2] / "shared/corpus/laws")
    args = p.parse_args(argv)
    files = sorted(f for f in args.corpus.rglob("*") if f.suffix.lower() in SUFFIXES)
    if not files:
        print(f"error: no documents under {args.corpus}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    schemes, errors, units, repeated = Counter(), Counter(), 0, 0
    for f in files:
        try:
            doc = parse_document(read_text(f))
        except IngestError as e:
            errors[e.reason] += 1
            continue
        schemes[doc.scheme] += 1
        units += len(doc.units)
        repeated += any(u.id.endswith("_2") for u in doc.units)
    seconds = time.perf_counter() - t0
    print(f"{len(files)} files under {args.corpus} in {seconds:.1f} s: {units:,} units; "
          f"by structure {dict(schemes)}; {repeated} with a repeated id (suffixed _2)")
    for reason, n in errors.most_common():
        print(f"  not ingested: {n} x {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
