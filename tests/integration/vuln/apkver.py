"""apk (Alpine) version order for the reference tests: the grammar apk-tools
documents ("digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#}") with the
token order of apk-tools 3, written out here in python and checked against
apk-tools' own vectors (../shared/data/version-vectors/apk) by alpine.py
before any finding is computed with it. No Debian package ships apk.

A version is a sequence of tokens, each of a kind:
  FIRST  the leading number (required)
  NUM    ".digits" after a number
  LETTER one lower-case letter after a number
  SUFFIX "_alpha|_beta|_pre|_rc" (pre-releases) or "_cvs|_svn|_git|_hg|_p"
  SUFNUM digits right after a suffix
  HASH   "~" and hex digits
  REV    "-r" and digits (required after "-r")
Kinds never go backwards except that NUM may follow NUM, and a suffix may
follow a suffix number. Two versions compare token by token while the
kinds agree: numbers by value, except a NUM with a leading zero on either
side, which compares as text (1.02 < 1.1, 1.0 < 1.00); letters and hashes
as text; suffixes by the order above. When the kinds part, a pre-release
suffix is older, otherwise the version whose next token's kind is the
smaller is newer ("1.0" < "1.0.1" < "1.0a", "1.0_rc1" < "1.0" <
"1.0-r1")."""

FIRST, NUM, LETTER, SUFFIX, SUFNUM, HASH, REV, END, BAD = range(9)
SUFFIXES = {"alpha": -4, "beta": -3, "pre": -2, "rc": -1,
            "cvs": 1, "svn": 2, "git": 3, "hg": 4, "p": 5}
HEX = set("0123456789abcdefABCDEF")


def _run(s, i, ok):
    j = i
    while j < len(s) and ok(s[j]):
        j += 1
    return s[i:j], j


def tokens(v):
    """[(kind, text, suffix value)] ending with an END or BAD token."""
    digits = lambda c: "0" <= c <= "9"  # noqa: E731
    text, i = _run(v, 0, digits)
    if not text:
        return [(BAD, "", 0)]
    out, kind = [(FIRST, text, 0)], FIRST
    while True:
        if i == len(v):
            out.append((END, "", 0))
            return out
        c, tok = v[i], None
        if "a" <= c <= "z" and kind <= NUM:
            tok, i = (LETTER, c, 0), i + 1
        elif c == "." and kind <= NUM:
            text, i = _run(v, i + 1, digits)
            tok = (NUM, text, 0) if text else None
        elif digits(c) and kind == SUFFIX:
            text, i = _run(v, i, digits)
            tok = (SUFNUM, text, 0)
        elif c == "_" and kind <= SUFNUM:
            text, i = _run(v, i + 1, lambda x: "a" <= x <= "z")
            tok = (SUFFIX, text, SUFFIXES[text]) if text in SUFFIXES else None
        elif c == "~" and kind < HASH:
            text, i = _run(v, i + 1, lambda x: x in HEX)
            tok = (HASH, text, 0) if text else None
        elif v.startswith("-r", i) and kind < REV:
            text, i = _run(v, i + 2, digits)
            tok = (REV, text, 0) if text else None
        if tok is None:
            out.append((BAD, "", 0))
            return out
        out.append(tok)
        kind = tok[0]


def valid(v):
    return tokens(v)[-1][0] == END


def _text_cmp(a, b):
    return (a > b) - (a < b)


def _token_cmp(ta, tb):
    kind, a, b = ta[0], ta[1], tb[1]
    if kind == NUM and (a.startswith("0") or b.startswith("0")):
        return _text_cmp(a, b)
    if kind in (FIRST, NUM, SUFNUM, REV):
        return _text_cmp(int(a), int(b))
    if kind == SUFFIX:
        return _text_cmp(ta[2], tb[2])
    return _text_cmp(a, b)


def compare(a, b):
    """-1, 0 or 1."""
    ta, tb = tokens(a), tokens(b)
    for x, y in zip(ta, tb):
        if x[0] != y[0]:
            if x[0] == SUFFIX and x[2] < 0:
                return -1
            if y[0] == SUFFIX and y[2] < 0:
                return 1
            return -1 if x[0] > y[0] else 1
        if x[0] in (END, BAD):
            return 0
        c = _token_cmp(x, y)
        if c:
            return c
    return 0
