#!/usr/bin/env python3
"""Replaces (or appends) one '## ' section of bench/RESULTS.md with the text on stdin, leaving the others.

Usage: results_section.py "## Heading" < section.md   (the section text starts with the heading line)
"""
import os
import re
import sys

heading = sys.argv[1]
section = sys.stdin.read().rstrip("\n") + "\n"
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS.md")
text = open(path).read() if os.path.exists(path) else "# Benchmark results\n"
# The heading as a whole line: "## sgemm, avx2" must not match "## sgemm, avx2 on an AVX512 CPU".
found = re.search("^" + re.escape(heading) + "$", text, re.M)
if found:
    start = found.start()
    nxt = re.search(r"^## ", text[start + len(heading):], re.M)
    end = start + len(heading) + nxt.start() if nxt else len(text)
    text = text[:start] + section + ("\n" if nxt else "") + text[end:]
else:
    text = text.rstrip("\n") + "\n\n" + section
with open(path + ".tmp", "w") as f:
    f.write(text)
os.replace(path + ".tmp", path)
print("wrote", path, "section", heading)
