#!/usr/bin/env python3
"""Checks the paraphrase retrieval set in Benchmarks/paraphrase/ (pairs.jsonl, distractors.jsonl).

A pair is a query and the one memory that answers it, written so that a lexical engine has
nothing to match on:
  EN: no content word in common (lowercased, split on anything but letters and digits,
      stop words dropped, words compared after a light stemmer: -s/-es/-ed/-ing/-ly and a
      final -e stripped, or equal when both are 5+ characters long and share their first 5).
  JA: no CJK character bigram in common (consecutive Han/Hiragana/Katakana characters, as the
      lexical engine indexes them), no Katakana run of 2+ in common, no Latin word in common
      (the EN rule), and no Han or Katakana character that stands alone in the query (the
      engine's query splitter makes it a one-character term) anywhere in the memory.
Texts are NFKC-normalised first, as the engine does.
The set: ids unique, queries and memories unique, at least 150 pairs per language, at least
5,000 distractors, and no distractor sharing 60 % or more of its content words with a pair
memory (no near-copies of an answer among the distractors).

Usage: python3 scripts/check-paraphrase-set.py [DIR]   (DIR defaults to Benchmarks/paraphrase)
Exits 1 and lists the offending ids on any violation."""
import collections, json, os, re, sys, unicodedata

MIN_PER_LANG = 150
MIN_DISTRACTORS = 5000
NEAR_DUP = 0.60

STOP = set("""
a an the this that these those there here
i me my mine myself we us our ours ourselves you your yours yourself he him his she her hers it its
they them their theirs one ones someone something anything anyone everything everyone nothing
what which who whom whose when where why how whether
is am are was were be been being do does did doing done have has had having
will would shall should can could may might must ought
get gets got getting gotten go goes went going gone let lets
in on at to from by for with about of into onto over under after before between through during
without within across along around up down out off than per via upon against toward towards
and or but nor if so because as then while though although also too
not no yes any some all each every both either neither few many much more most less least other another
such same own just only very really again still already ever even yet else
ok okay please thanks
s t d m ll ve re don doesn didn isn aren wasn weren won can't cannot shouldn wouldn couldn haven hasn hadn
""".split())

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005-\u3007"
HIRA = r"\u3041-\u309f"
KATA = r"\u30a0-\u30ff\u31f0-\u31ff"
CJK_RUN = re.compile("[" + HAN + HIRA + KATA + "]+")
KATA_RUN = re.compile("[" + KATA + "]{2,}")
KATA_CHAR = re.compile("[" + KATA + "]")
HIRA_CHAR = re.compile("[" + HIRA + "]")
LATIN = re.compile(r"[a-z0-9]+")


def stem(w):
    for suf in ("ing", "es", "ed", "ly", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= (2 if suf in ("ing", "ed") else 3) and not (suf == "s" and w.endswith("ss")):
            w = w[: -len(suf)]
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiou0123456789":
        w = w[:-1]
    if len(w) >= 3 and w.endswith("e"):
        w = w[:-1]
    return w


def latin_words(text):
    out = []
    for w in LATIN.findall(text.lower()):
        if w in STOP:
            continue
        if len(w) < 2 and not w.isdigit():
            continue
        out.append(w)
    return out


def keys(w):
    k = {"s:" + stem(w)}
    if len(w) >= 5:
        k.add("p:" + w[:5])
    return k


def word_keys(text):
    """{word: keys} for the Latin content words of a text."""
    return {w: keys(w) for w in latin_words(text)}


def shared_words(a, b):
    ka, kb = word_keys(a), word_keys(b)
    allb = set().union(*kb.values()) if kb else set()
    return sorted(w for w, k in ka.items() if k & allb)


def cjk_bigrams(text):
    grams = set()
    for run in CJK_RUN.findall(text):
        for i in range(len(run) - 1):
            grams.add(run[i : i + 2])
    return grams


def kata_runs(text):
    return set(KATA_RUN.findall(text))


def lone_characters(text):
    """Han or Katakana characters standing alone in a run (between kana of another kind):
    the engine's query splitter makes each a one-character term that matches any bigram it
    starts, so the memory must not hold that character in a CJK run at all."""
    lone = set()
    for run in CJK_RUN.findall(text):
        kinds = [("k" if KATA_CHAR.match(c) else "h" if HIRA_CHAR.match(c) else "x") for c in run]
        for i, c in enumerate(run):
            if kinds[i] == "h":
                continue
            before = kinds[i - 1] if i > 0 else None
            after = kinds[i + 1] if i + 1 < len(run) else None
            if before != kinds[i] and after != kinds[i]:
                lone.add(c)
    return lone


def cjk_characters(text):
    return set("".join(CJK_RUN.findall(text)))


def content_units(text, lang):
    """Units for the near-duplicate test: Latin word keys, plus CJK bigrams for Japanese."""
    units = []
    for w, k in word_keys(text).items():
        units.append(frozenset(k))
    if lang == "ja":
        for g in cjk_bigrams(text):
            units.append(frozenset({"g:" + g}))
    return units


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if line:
                try:
                    row = json.loads(line)
                    for k in ("query", "memory"):
                        if isinstance(row.get(k), str):
                            row[k] = unicodedata.normalize("NFKC", row[k])
                    rows.append(row)
                except json.JSONDecodeError as e:
                    sys.exit(f"{path}:{n}: not JSON: {e}")
    return rows


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "Benchmarks", "paraphrase")
    pairs = load(os.path.join(d, "pairs.jsonl"))
    distractors = load(os.path.join(d, "distractors.jsonl"))
    problems = collections.defaultdict(list)

    ids = collections.Counter(r.get("id") for r in pairs + distractors)
    for i, c in ids.items():
        if c > 1:
            problems["duplicate id"].append(i)
    for field in ("query", "memory"):
        seen = {}
        for r in pairs:
            t = r.get(field, "").strip()
            if t in seen:
                problems[f"duplicate {field}"].append(f"{seen[t]}={r['id']}")
            seen[t] = r["id"]

    good = collections.Counter()
    for r in pairs:
        rid, lang, q, m = r.get("id"), r.get("lang"), r.get("query", ""), r.get("memory", "")
        if lang not in ("en", "ja") or not q.strip() or not m.strip():
            problems["malformed pair"].append(rid)
            continue
        bad = []
        sw = shared_words(q, m)
        if sw:
            bad.append("words " + ",".join(sw))
        if lang == "ja":
            bg = sorted(cjk_bigrams(q) & cjk_bigrams(m))
            if bg:
                bad.append("bigrams " + ",".join(bg))
            kr = sorted(kata_runs(q) & kata_runs(m))
            if kr:
                bad.append("katakana " + ",".join(kr))
            lc = sorted(lone_characters(q) & cjk_characters(m))
            if lc:
                bad.append("lone characters " + ",".join(lc))
            if not cjk_bigrams(q) or not cjk_bigrams(m):
                bad.append("not Japanese")
        if bad:
            problems[f"{lang} query/memory overlap"].append(f"{rid} ({'; '.join(bad)})")
        else:
            good[lang] += 1

    # Pair memories must be told apart from each other: none a near-copy of another.
    units = [(r["id"], r["lang"], content_units(r["memory"], r["lang"])) for r in pairs]
    index = collections.defaultdict(set)
    for n, (_, _, us) in enumerate(units):
        for u in us:
            for k in u:
                index[k].add(n)

    def overlap_with_pairs(us):
        """The pair index and share of us found in that pair memory, for the best pair."""
        hits = collections.Counter()
        for u in us:
            found = set()
            for k in u:
                found |= index.get(k, set())
            for n in found:
                hits[n] += 1
        if not hits:
            return None, 0.0
        n, c = hits.most_common(1)[0]
        return n, c / max(1, len(us))

    for n, (rid, lang, us) in enumerate(units):
        hits = collections.Counter()
        for u in us:
            found = set()
            for k in u:
                found |= index.get(k, set())
            for m in found:
                if m != n:
                    hits[m] += 1
        for m, c in hits.items():
            if c / max(1, len(us)) >= NEAR_DUP and len(us) >= 3:
                problems["pair memories near-duplicate"].append(f"{rid}~{units[m][0]}")

    dcount = collections.Counter()
    for r in distractors:
        rid, lang, m = r.get("id"), r.get("lang"), r.get("memory", "")
        if lang not in ("en", "ja") or not m.strip() or not str(rid).startswith("d-"):
            problems["malformed distractor"].append(rid)
            continue
        dcount[lang] += 1
        us = content_units(m, lang)
        n, share = overlap_with_pairs(us)
        if n is not None and share >= NEAR_DUP:
            problems["distractor near-duplicate of a pair memory"].append(f"{rid}~{units[n][0]} ({share:.0%})")
    dmem = collections.Counter(r.get("memory") for r in distractors)
    dups = sum(c - 1 for c in dmem.values() if c > 1)
    if dups:
        problems["duplicate distractor memory"].append(f"{dups} repeats")
    pair_mems = {r.get("memory") for r in pairs}
    for r in distractors:
        if r.get("memory") in pair_mems:
            problems["distractor equals a pair memory"].append(r["id"])

    for lang in ("en", "ja"):
        if good[lang] < MIN_PER_LANG:
            problems["too few clean pairs"].append(f"{lang}: {good[lang]} < {MIN_PER_LANG}")
    if sum(dcount.values()) < MIN_DISTRACTORS:
        problems["too few distractors"].append(f"{sum(dcount.values())} < {MIN_DISTRACTORS}")

    total = collections.Counter(r.get("lang") for r in pairs)
    print(f"pairs: en {total['en']} ({good['en']} clean), ja {total['ja']} ({good['ja']} clean)")
    print(f"distractors: {sum(dcount.values())} (en {dcount['en']}, ja {dcount['ja']})")
    if problems:
        for kind, items in problems.items():
            print(f"FAIL {kind}: {len(items)}")
            for it in items[:200]:
                print(f"  {it}")
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
