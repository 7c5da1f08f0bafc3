#!/usr/bin/env python3
"""Writes the SHA-256 of every inline <script> of the built pages to
frontend/dist/csp-hashes.txt, as CSP sources ('sha256-…' …). The static-files
component puts them in the pages' Content-Security-Policy, so script-src needs
no 'unsafe-inline': an injected script, whose hash is not on the list, never runs.
Run after trunk (scripts/build does), on the final, minified files."""
import base64, hashlib, pathlib, re, sys

dist = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "frontend/dist")
inline = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.S | re.I)
hashes = []
for page in sorted(dist.rglob("*.html")):
    for attrs, body in inline.findall(page.read_text(encoding="utf-8")):
        if re.search(r"\bsrc\s*=", attrs or "") or not body:
            continue
        # Browsers hash the text as parsed: the HTML parser turns CRLF into LF.
        digest = hashlib.sha256(body.replace("\r\n", "\n").encode("utf-8")).digest()
        source = "'sha256-" + base64.b64encode(digest).decode() + "'"
        if source not in hashes:
            hashes.append(source)
if not hashes:
    sys.exit("csp-hashes: no inline scripts found in " + str(dist) + ": is the build there?")
(dist / "csp-hashes.txt").write_text(" ".join(hashes) + "\n")
print(f"csp-hashes: {len(hashes)} inline scripts")
