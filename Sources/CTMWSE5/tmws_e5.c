/* tmws_e5.c: see include/tmws_e5.h. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE 1 /* SCHED_IDLE */
#endif
#include "tmws_e5.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#if defined(__linux__)
#include <sched.h>
#include <sys/syscall.h>
#endif
#include <sys/stat.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define TMWS_E5_X86 1
#endif

enum { BLOCK = 32, BLOCK_BYTES = 18, DTYPE_F32 = 0, DTYPE_Q4 = 1, NAME_MAX_BYTES = 64 };

/* ------------------------------------------------------------------ model ---- */

typedef struct {
    const uint8_t *query_w, *key_w, *value_w, *attn_out_w, *ffn_in_w, *ffn_out_w;
    const float *query_b, *key_b, *value_b, *attn_out_b, *attn_norm_w, *attn_norm_b;
    const float *ffn_in_b, *ffn_out_b, *out_norm_w, *out_norm_b;
} layer;

typedef struct {
    int count;
    int bos, eos, pad, unk;
    float unk_score;
    int longest;            /* bytes of the longest piece */
    const uint8_t *bytes;   /* the pieces' UTF-8, back to back */
    uint32_t *offsets;      /* count + 1 */
    float *scores;          /* count */
    int32_t *table;         /* open addressing: piece index + 1, 0 = empty */
    uint32_t mask;
    int map_count;          /* normaliser: code point -> replacement code points */
    uint32_t *map_from;     /* sorted */
    uint32_t *map_start;    /* map_count + 1 offsets into map_to */
    uint32_t *map_to;
} vocabulary;

struct tmws_e5_model {
    int hidden, layers, heads, ffn, vocab, positions, types;
    float eps;
    const uint8_t *words;          /* Q4 [vocab][hidden] */
    const float *position, *type, *norm_w, *norm_b;
    layer *stack;
    vocabulary vocabulary;
    void *map;
    size_t map_size;
};

static void fail(char *error, size_t size, const char *format, ...) {
    if (!error || size == 0) return;
    va_list args;
    va_start(args, format);
    vsnprintf(error, size, format, args);
    va_end(args);
}

/* A bounded reader over the mapped file: every read checks what is left. */
typedef struct {
    const uint8_t *at, *end;
    int bad;
} reader;

static int take(reader *r, void *out, size_t n) {
    if (r->bad || (size_t)(r->end - r->at) < n) { r->bad = 1; if (out) memset(out, 0, n); return 0; }
    if (out) memcpy(out, r->at, n);
    r->at += n;
    return 1;
}
static int32_t take_i32(reader *r) { int32_t v; take(r, &v, 4); return v; }
static uint32_t take_u32(reader *r) { uint32_t v; take(r, &v, 4); return v; }
static uint64_t take_u64(reader *r) { uint64_t v; take(r, &v, 8); return v; }
static uint16_t take_u16(reader *r) { uint16_t v; take(r, &v, 2); return v; }
static float take_f32(reader *r) { float v; take(r, &v, 4); return v; }

static uint64_t piece_hash(const uint8_t *s, size_t n) {
    /* FNV-1a, 64 bits */
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) { h ^= s[i]; h *= 0x100000001b3ULL; }
    return h;
}

static int piece_find(const vocabulary *v, const uint8_t *s, size_t n) {
    uint32_t slot = (uint32_t)piece_hash(s, n) & v->mask;
    for (;;) {
        int32_t entry = v->table[slot];
        if (entry == 0) return -1;
        int i = entry - 1;
        size_t len = v->offsets[i + 1] - v->offsets[i];
        if (len == n && memcmp(v->bytes + v->offsets[i], s, n) == 0) return i;
        slot = (slot + 1) & v->mask;
    }
}

static void vocabulary_free(vocabulary *v) {
    free(v->offsets); free(v->scores); free(v->table);
    free(v->map_from); free(v->map_start); free(v->map_to);
}

static int read_vocabulary(reader *r, vocabulary *v, char *error, size_t size) {
    v->count = take_i32(r);
    v->bos = take_i32(r); v->eos = take_i32(r); v->pad = take_i32(r); v->unk = take_i32(r);
    uint64_t blob = take_u64(r);
    if (r->bad || v->count < 4 || v->count > 4000000) { fail(error, size, "the vocabulary's size is out of range"); return 0; }
    int specials[4] = { v->bos, v->eos, v->pad, v->unk };
    for (int i = 0; i < 4; i++)
        if (specials[i] < 0 || specials[i] >= v->count) { fail(error, size, "a special token id is out of range"); return 0; }
    v->offsets = malloc(sizeof(uint32_t) * ((size_t)v->count + 1));
    v->scores = malloc(sizeof(float) * (size_t)v->count);
    if (!v->offsets || !v->scores) { fail(error, size, "out of memory"); return 0; }
    take(r, v->offsets, sizeof(uint32_t) * ((size_t)v->count + 1));
    take(r, v->scores, sizeof(float) * (size_t)v->count);
    if (r->bad || blob > (uint64_t)(r->end - r->at) || v->offsets[0] != 0 || v->offsets[v->count] != blob) {
        fail(error, size, "the vocabulary is truncated"); return 0;
    }
    v->bytes = r->at;
    r->at += blob;
    float lowest = INFINITY;
    v->longest = 1;
    for (int i = 0; i < v->count; i++) {
        if (v->offsets[i + 1] < v->offsets[i]) { fail(error, size, "the vocabulary's offsets go backwards"); return 0; }
        if (!isfinite(v->scores[i])) { fail(error, size, "a piece's score is not a number"); return 0; }
        if (v->scores[i] < lowest) lowest = v->scores[i];
        int len = (int)(v->offsets[i + 1] - v->offsets[i]);
        if (len > v->longest) v->longest = len;
    }
    if (v->longest > 256) { fail(error, size, "a piece is longer than 256 bytes"); return 0; }
    /* SentencePiece scores an unknown character 10 below the least likely piece. */
    v->unk_score = lowest - 10.0f;
    uint32_t slots = 1;
    while (slots < (uint32_t)v->count * 2) slots <<= 1;
    v->mask = slots - 1;
    v->table = calloc(slots, sizeof(int32_t));
    if (!v->table) { fail(error, size, "out of memory"); return 0; }
    for (int i = 0; i < v->count; i++) {
        size_t len = v->offsets[i + 1] - v->offsets[i];
        if (len == 0 || i == v->unk) continue;   /* specials and the unknown piece are never matched */
        uint32_t slot = (uint32_t)piece_hash(v->bytes + v->offsets[i], len) & v->mask;
        while (v->table[slot]) slot = (slot + 1) & v->mask;
        v->table[slot] = i + 1;
    }
    /* The normaliser: (code point u32, count u8, count × u32), sorted by code point. */
    v->map_count = take_i32(r);
    uint32_t map_bytes = take_u32(r);
    if (r->bad || v->map_count < 0 || v->map_count > 1000000 || map_bytes > (uint64_t)(r->end - r->at)) {
        fail(error, size, "the normaliser map is truncated"); return 0;
    }
    reader m = { r->at, r->at + map_bytes, 0 };
    r->at += map_bytes;
    size_t total = 0;
    for (int i = 0; i < v->map_count; i++) {
        take_u32(&m);
        uint8_t n = 0;
        take(&m, &n, 1);
        take(&m, NULL, (size_t)n * 4);
        total += n;
    }
    if (m.bad) { fail(error, size, "the normaliser map is truncated"); return 0; }
    v->map_from = malloc(sizeof(uint32_t) * ((size_t)v->map_count + 1));
    v->map_start = malloc(sizeof(uint32_t) * ((size_t)v->map_count + 1));
    v->map_to = malloc(sizeof(uint32_t) * (total + 1));
    if (!v->map_from || !v->map_start || !v->map_to) { fail(error, size, "out of memory"); return 0; }
    m.at = m.end - map_bytes;
    uint32_t at = 0;
    for (int i = 0; i < v->map_count; i++) {
        v->map_from[i] = take_u32(&m);
        if (i > 0 && v->map_from[i] <= v->map_from[i - 1]) { fail(error, size, "the normaliser map is not sorted"); return 0; }
        uint8_t n = 0;
        take(&m, &n, 1);
        v->map_start[i] = at;
        for (int j = 0; j < n; j++) v->map_to[at++] = take_u32(&m);
    }
    v->map_start[v->map_count] = at;
    return 1;
}

typedef struct {
    char name[NAME_MAX_BYTES];
    int dtype;
    uint32_t count;
    uint64_t offset, bytes;
} tensor;

/* A tensor by name, of the expected type and element count, or NULL with a message. */
static const void *find(const tensor *dir, int n, const uint8_t *base, const char *name, int dtype, uint64_t count,
                        char *error, size_t size) {
    for (int i = 0; i < n; i++) {
        if (strcmp(dir[i].name, name) != 0) continue;
        uint64_t bytes = dtype == DTYPE_F32 ? count * 4 : count / BLOCK * BLOCK_BYTES;
        if (dir[i].dtype != dtype || dir[i].count != count || dir[i].bytes != bytes) {
            fail(error, size, "tensor %s has the wrong type or size", name);
            return NULL;
        }
        return base + dir[i].offset;
    }
    fail(error, size, "tensor %s is missing", name);
    return NULL;
}

static int read_tensors(tmws_e5_model *m, reader *r, const uint8_t *base, size_t file_size, char *error, size_t size) {
    int n = take_i32(r);
    if (r->bad || n < 1 || n > 4096) { fail(error, size, "the tensor directory is malformed"); return 0; }
    tensor *dir = calloc((size_t)n, sizeof(tensor));
    if (!dir) { fail(error, size, "out of memory"); return 0; }
    for (int i = 0; i < n; i++) {
        uint16_t len = take_u16(r);
        if (len >= NAME_MAX_BYTES) { r->bad = 1; break; }
        take(r, dir[i].name, len);
        uint8_t dtype = 0;
        take(r, &dtype, 1);
        dir[i].dtype = dtype;
        dir[i].count = take_u32(r);
        dir[i].offset = take_u64(r);
        dir[i].bytes = take_u64(r);
        if (dir[i].offset > file_size || dir[i].bytes > file_size - dir[i].offset) r->bad = 1;
        /* float tensors are read in place: they must be aligned for float */
        if (dtype == DTYPE_F32 && dir[i].offset % 4 != 0) r->bad = 1;
    }
    if (r->bad) { free(dir); fail(error, size, "the tensor directory is truncated or points outside the file"); return 0; }
    uint64_t H = (uint64_t)m->hidden, F = (uint64_t)m->ffn;
    int ok = 1;
#define NEED(field, name, dtype, count) \
    if (ok && !(field = find(dir, n, base, name, dtype, count, error, size))) ok = 0;
    NEED(m->words, "emb.word", DTYPE_Q4, (uint64_t)m->vocab * H)
    NEED(m->position, "emb.pos", DTYPE_F32, (uint64_t)m->positions * H)
    NEED(m->type, "emb.type", DTYPE_F32, (uint64_t)m->types * H)
    NEED(m->norm_w, "emb.ln.w", DTYPE_F32, H)
    NEED(m->norm_b, "emb.ln.b", DTYPE_F32, H)
    char name[NAME_MAX_BYTES];
    for (int l = 0; ok && l < m->layers; l++) {
        layer *y = &m->stack[l];
#define LAYER(field, suffix, dtype, count) \
        snprintf(name, sizeof name, "l%d.%s", l, suffix); NEED(y->field, name, dtype, count)
        LAYER(query_w, "q.w", DTYPE_Q4, H * H) LAYER(query_b, "q.b", DTYPE_F32, H)
        LAYER(key_w, "k.w", DTYPE_Q4, H * H) LAYER(key_b, "k.b", DTYPE_F32, H)
        LAYER(value_w, "v.w", DTYPE_Q4, H * H) LAYER(value_b, "v.b", DTYPE_F32, H)
        LAYER(attn_out_w, "ao.w", DTYPE_Q4, H * H) LAYER(attn_out_b, "ao.b", DTYPE_F32, H)
        LAYER(attn_norm_w, "aln.w", DTYPE_F32, H) LAYER(attn_norm_b, "aln.b", DTYPE_F32, H)
        LAYER(ffn_in_w, "fi.w", DTYPE_Q4, F * H) LAYER(ffn_in_b, "fi.b", DTYPE_F32, F)
        LAYER(ffn_out_w, "fo.w", DTYPE_Q4, H * F) LAYER(ffn_out_b, "fo.b", DTYPE_F32, H)
        LAYER(out_norm_w, "oln.w", DTYPE_F32, H) LAYER(out_norm_b, "oln.b", DTYPE_F32, H)
#undef LAYER
    }
#undef NEED
    free(dir);
    return ok;
}

tmws_e5_model *tmws_e5_open(const char *path, char *error, size_t error_size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { fail(error, error_size, "cannot open the model file: %s", strerror(errno)); return NULL; }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < 64) {
        close(fd);
        fail(error, error_size, "the model file is too short");
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) { fail(error, error_size, "cannot map the model file: %s", strerror(errno)); return NULL; }
    tmws_e5_model *m = calloc(1, sizeof *m);
    if (!m) { munmap(map, size); fail(error, error_size, "out of memory"); return NULL; }
    m->map = map;
    m->map_size = size;
    const uint8_t *base = map;
    reader r = { base, base + size, 0 };
    char magic[4];
    take(&r, magic, 4);
    uint32_t version = take_u32(&r);
    if (memcmp(magic, "E5S1", 4) != 0 || version != 1) {
        fail(error, error_size, "not an e5 model file (format E5S1 version 1)");
        tmws_e5_close(m);
        return NULL;
    }
    m->hidden = take_i32(&r); m->layers = take_i32(&r); m->heads = take_i32(&r); m->ffn = take_i32(&r);
    m->vocab = take_i32(&r); m->positions = take_i32(&r); m->types = take_i32(&r);
    m->eps = take_f32(&r);
    take_i32(&r); /* the block size the converter used; ours is fixed at 32 and the tensors' sizes check it */
    int sane = !r.bad && m->hidden > 0 && m->hidden <= 4096 && m->hidden % BLOCK == 0 && m->heads > 0 &&
               m->hidden % m->heads == 0 && m->layers > 0 && m->layers <= 64 && m->ffn > 0 && m->ffn <= 16384 &&
               m->ffn % BLOCK == 0 && m->vocab > 0 && m->vocab <= 4000000 && m->positions >= 3 && m->positions <= 8192 &&
               m->types >= 1 && m->types <= 16 && isfinite(m->eps) && m->eps > 0 && m->eps < 1;
    if (!sane) {
        fail(error, error_size, "the model's dimensions are out of range");
        tmws_e5_close(m);
        return NULL;
    }
    m->stack = calloc((size_t)m->layers, sizeof(layer));
    if (!m->stack || !read_vocabulary(&r, &m->vocabulary, error, error_size) ||
        !read_tensors(m, &r, base, size, error, error_size)) {
        if (!m->stack) fail(error, error_size, "out of memory");
        tmws_e5_close(m);
        return NULL;
    }
    if (m->vocabulary.count > m->vocab) {
        fail(error, error_size, "the vocabulary has more pieces than the embedding table has rows");
        tmws_e5_close(m);
        return NULL;
    }
    return m;
}

void tmws_e5_close(tmws_e5_model *m) {
    if (!m) return;
    vocabulary_free(&m->vocabulary);
    free(m->stack);
    if (m->map) munmap(m->map, m->map_size);
    free(m);
}

int tmws_e5_dimension(const tmws_e5_model *m) { return m->hidden; }
int tmws_e5_max_tokens(const tmws_e5_model *m) { return m->positions; }
int tmws_e5_bos(const tmws_e5_model *m) { return m->vocabulary.bos; }
int tmws_e5_eos(const tmws_e5_model *m) { return m->vocabulary.eos; }

/* -------------------------------------------------------------- tokenizer ---- */

static size_t decode_utf8(const uint8_t *s, size_t n, uint32_t *out) {
    uint8_t c = s[0];
    if (c < 0x80) { *out = c; return 1; }
    size_t need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (need == 0 || need > n) { *out = 0xFFFD; return 1; }
    uint32_t cp = c & (0x7F >> need);
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80) { *out = 0xFFFD; return 1; }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < least[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    *out = cp;
    return need;
}

static size_t encode_utf8(uint32_t cp, uint8_t *o) {
    if (cp < 0x80) { o[0] = (uint8_t)cp; return 1; }
    if (cp < 0x800) { o[0] = (uint8_t)(0xC0 | (cp >> 6)); o[1] = (uint8_t)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (uint8_t)(0xE0 | (cp >> 12)); o[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)); o[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (uint8_t)(0xF0 | (cp >> 18)); o[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

static int map_find(const vocabulary *v, uint32_t cp) {
    int lo = 0, hi = v->map_count - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (v->map_from[mid] == cp) return mid;
        if (v->map_from[mid] < cp) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

int tmws_e5_tokenize(const tmws_e5_model *m, const char *text, size_t length, int32_t *ids, int capacity) {
    const vocabulary *v = &m->vocabulary;
    const uint8_t *s = (const uint8_t *)text;
    /* 1. Normalise code point by code point, then SentencePiece's whitespace rule: no space
     *    at either end, runs of spaces as one. */
    size_t cap = length * 4 + 4;   /* a replacement is at most a few code points; grown if not */
    uint32_t *cps = malloc(sizeof(uint32_t) * cap);
    if (!cps) return -1;
    size_t n = 0;
    for (size_t i = 0; i < length;) {
        uint32_t cp;
        i += decode_utf8(s + i, length - i, &cp);
        int at = map_find(v, cp);
        uint32_t one = cp;
        const uint32_t *from = &one, *to = &one + 1;
        if (at >= 0) { from = v->map_to + v->map_start[at]; to = v->map_to + v->map_start[at + 1]; }
        for (const uint32_t *p = from; p < to; p++) {
            if (*p == 0x20 && (n == 0 || cps[n - 1] == 0x20)) continue;
            if (n + 1 >= cap) {
                uint32_t *grown = realloc(cps, sizeof(uint32_t) * cap * 2);
                if (!grown) { free(cps); return -1; }
                cps = grown;
                cap *= 2;
            }
            cps[n++] = *p;
        }
    }
    while (n > 0 && cps[n - 1] == 0x20) n--;
    if (n == 0) { free(cps); return 0; }
    /* 2. The text as pieces see it: a leading U+2581 and U+2581 for every space; `starts`
     *    holds each character's byte offset. */
    size_t chars = n + 1;
    uint8_t *bytes = malloc(chars * 4);
    uint32_t *starts = malloc(sizeof(uint32_t) * (chars + 1));
    float *best = malloc(sizeof(float) * (chars + 1));
    int32_t *piece = malloc(sizeof(int32_t) * (chars + 1));
    uint32_t *from = malloc(sizeof(uint32_t) * (chars + 1));
    if (!bytes || !starts || !best || !piece || !from) {
        free(cps); free(bytes); free(starts); free(best); free(piece); free(from);
        return -1;
    }
    size_t b = 0;
    starts[0] = 0;
    b += encode_utf8(0x2581, bytes);
    for (size_t i = 0; i < n; i++) {
        starts[i + 1] = (uint32_t)b;
        b += encode_utf8(cps[i] == 0x20 ? 0x2581 : cps[i], bytes + b);
    }
    starts[chars] = (uint32_t)b;
    free(cps);
    /* 3. Viterbi: the segmentation whose pieces' log-probabilities sum highest; a character
     *    no piece covers is the unknown piece. */
    for (size_t i = 0; i <= chars; i++) best[i] = -INFINITY;
    best[0] = 0;
    for (size_t i = 0; i < chars; i++) {
        if (best[i] == -INFINITY) continue;
        for (size_t e = i + 1; e <= chars; e++) {
            size_t len = starts[e] - starts[i];
            if (len > (size_t)v->longest) break;
            int id = piece_find(v, bytes + starts[i], len);
            if (id < 0) continue;
            float score = best[i] + v->scores[id];
            if (score > best[e]) { best[e] = score; piece[e] = id; from[e] = (uint32_t)i; }
        }
        float unknown = best[i] + v->unk_score;
        if (unknown > best[i + 1]) { best[i + 1] = unknown; piece[i + 1] = v->unk; from[i + 1] = (uint32_t)i; }
    }
    int total = 0;
    for (size_t e = chars; e > 0; e = from[e]) total++;
    int at = total;
    for (size_t e = chars; e > 0; e = from[e]) {
        at--;
        if (at < capacity) ids[at] = piece[e];
    }
    free(bytes); free(starts); free(best); free(piece); free(from);
    return total;
}

/* ---------------------------------------------------------------- kernels ---- */

static float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF, bits;
    if (exponent == 0) {
        /* zero or subnormal: mantissa × 2^-24 */
        float value = ldexpf((float)mantissa, -24);
        return sign ? -value : value;
    } else if (exponent == 31) {
        bits = sign | 0x7F800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static float block_scale(const uint8_t *block) {
    uint16_t h;
    memcpy(&h, block, 2);
    return half_to_float(h);
}

/* One Q4_0 row of `in` values to floats: byte j holds value j (low nibble) and j + 16 (high). */
static void dequantize_row(const uint8_t *row, int in, float *out) {
    for (int b = 0; b < in / BLOCK; b++) {
        const uint8_t *block = row + (size_t)b * BLOCK_BYTES;
        float d = block_scale(block);
        for (int j = 0; j < 16; j++) {
            out[b * BLOCK + j] = (float)((block[2 + j] & 0x0F) - 8) * d;
            out[b * BLOCK + j + 16] = (float)((block[2 + j] >> 4) - 8) * d;
        }
    }
}

/* Activations quantised to int8 per 32-value block: values, each block's scale and sum. */
typedef struct {
    int8_t *values;
    float *scales;
    int32_t *sums;
} quantized;

static void quantize(const float *x, int rows, int in, quantized *q) {
    int blocks = in / BLOCK;
    for (int t = 0; t < rows; t++) {
        for (int b = 0; b < blocks; b++) {
            const float *src = x + (size_t)t * in + b * BLOCK;
            float largest = 0;
            for (int j = 0; j < BLOCK; j++) largest = fmaxf(largest, fabsf(src[j]));
            float scale = largest / 127.0f, inverse = scale > 0 ? 1.0f / scale : 0;
            int8_t *dst = q->values + (size_t)t * in + b * BLOCK;
            int32_t sum = 0;
            for (int j = 0; j < BLOCK; j++) {
                int value = (int)lrintf(src[j] * inverse);
                value = value > 127 ? 127 : value < -127 ? -127 : value;
                dst[j] = (int8_t)value;
                sum += value;
            }
            q->scales[(size_t)t * blocks + b] = scale;
            q->sums[(size_t)t * blocks + b] = sum;
        }
    }
}

/* y[t][o] = Σ_b d_w·d_x·(Σ_j w_j·x_j − 8·Σ_j x_j) + bias[o]: the nibbles stay unsigned and
 * their offset of 8 is taken out through the block's sum. */
static void linear_portable(const uint8_t *w, const float *bias, const quantized *x, float *y, int rows, int out, int in) {
    int blocks = in / BLOCK;
    for (int o = 0; o < out; o++) {
        const uint8_t *row = w + (size_t)o * blocks * BLOCK_BYTES;
        for (int t = 0; t < rows; t++) {
            const int8_t *a = x->values + (size_t)t * in;
            float acc = 0;
            for (int b = 0; b < blocks; b++) {
                const uint8_t *block = row + (size_t)b * BLOCK_BYTES;
                int32_t dot = 0;
                for (int j = 0; j < 16; j++) {
                    dot += (block[2 + j] & 0x0F) * a[b * BLOCK + j] + (block[2 + j] >> 4) * a[b * BLOCK + j + 16];
                }
                acc += block_scale(block) * x->scales[(size_t)t * blocks + b] * (float)(dot - 8 * x->sums[(size_t)t * blocks + b]);
            }
            y[(size_t)t * out + o] = acc + bias[o];
        }
    }
}

#ifdef TMWS_E5_X86
/* The same sum as linear_portable with the nibbles made signed (q - 8) once per row: maddubs
 * multiplies unsigned by signed bytes, so it takes |w| and x carrying w's sign (no offset term
 * left to add). Tokens go in tiles, so a tile's activations stay in cache while every weight
 * row passes. */
__attribute__((target("avx2,fma"))) static void linear_avx2(const uint8_t *w, const float *bias, const quantized *x, float *y, int rows,
                                                            int out, int in) {
    int blocks = in / BLOCK;
    const __m256i ones = _mm256_set1_epi16(1);
    const __m128i low = _mm_set1_epi8(0x0F);
    const __m256i eight = _mm256_set1_epi8(8);
    float scales[16384 / BLOCK];
    __m256i magnitude[16384 / BLOCK], sign[16384 / BLOCK];
    enum { TILE = 32 };
    for (int first = 0; first < rows; first += TILE) {
        int last = first + TILE < rows ? first + TILE : rows;
        for (int o = 0; o < out; o++) {
            const uint8_t *row = w + (size_t)o * blocks * BLOCK_BYTES;
            for (int b = 0; b < blocks; b++) {
                const uint8_t *block = row + (size_t)b * BLOCK_BYTES;
                scales[b] = block_scale(block);
                __m128i packed = _mm_loadu_si128((const __m128i *)(block + 2));
                __m128i lo = _mm_and_si128(packed, low), hi = _mm_and_si128(_mm_srli_epi16(packed, 4), low);
                __m256i signed_w = _mm256_sub_epi8(_mm256_set_m128i(hi, lo), eight);
                magnitude[b] = _mm256_sign_epi8(signed_w, signed_w);
                sign[b] = signed_w;
            }
            for (int t = first; t < last; t++) {
                const int8_t *a = x->values + (size_t)t * in;
                const float *xs = x->scales + (size_t)t * blocks;
                __m256 acc = _mm256_setzero_ps();
                for (int b = 0; b < blocks; b++) {
                    __m256i av = _mm256_sign_epi8(_mm256_loadu_si256((const __m256i *)(a + b * BLOCK)), sign[b]);
                    __m256i dots = _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude[b], av), ones);
                    acc = _mm256_fmadd_ps(_mm256_set1_ps(scales[b] * xs[b]), _mm256_cvtepi32_ps(dots), acc);
                }
                __m128 s = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
                s = _mm_add_ps(s, _mm_movehl_ps(s, s));
                s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
                y[(size_t)t * out + o] = _mm_cvtss_f32(s) + bias[o];
            }
        }
    }
}
#endif

int tmws_e5_background_thread(void) {
#if defined(__linux__)
    /* On Linux a pid of 0 (and a thread id) names one thread, not the process. */
    struct sched_param param = {0};
    if (sched_setscheduler(0, SCHED_IDLE, &param) == 0) return 1;
    pid_t thread = (pid_t)syscall(SYS_gettid);
    return setpriority(PRIO_PROCESS, (id_t)thread, 19) == 0 ? 0 : -1;
#else
    return 0;
#endif
}

int tmws_e5_uses_avx2(void) {
#ifdef TMWS_E5_X86
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return cached;
#else
    return 0;
#endif
}

static void linear(const uint8_t *w, const float *bias, const quantized *x, float *y, int rows, int out, int in) {
#ifdef TMWS_E5_X86
    if (tmws_e5_uses_avx2()) { linear_avx2(w, bias, x, y, rows, out, in); return; }
#endif
    linear_portable(w, bias, x, y, rows, out, in);
}

/* x = LayerNorm(x + residual) row by row (residual may be NULL). */
static void add_norm(float *x, const float *residual, const float *gamma, const float *beta, int rows, int width, float eps) {
    for (int t = 0; t < rows; t++) {
        float *r = x + (size_t)t * width;
        if (residual) for (int i = 0; i < width; i++) r[i] += residual[(size_t)t * width + i];
        double mean = 0;
        for (int i = 0; i < width; i++) mean += r[i];
        mean /= width;
        double variance = 0;
        for (int i = 0; i < width; i++) variance += (r[i] - mean) * (r[i] - mean);
        variance /= width;
        float inverse = (float)(1.0 / sqrt(variance + eps));
        for (int i = 0; i < width; i++) r[i] = ((float)(r[i] - mean)) * inverse * gamma[i] + beta[i];
    }
}

/* ---------------------------------------------------------------- encoder ---- */

int tmws_e5_encode(const tmws_e5_model *m, const int32_t *ids, const int32_t *lengths, int count, float *out) {
    if (count < 1) return -1;
    int H = m->hidden, F = m->ffn, heads = m->heads, hd = H / heads;
    size_t T = 0;
    for (int s = 0; s < count; s++) {
        if (lengths[s] < 1 || lengths[s] > m->positions) return -1;
        T += (size_t)lengths[s];
    }
    for (size_t t = 0; t < T; t++)
        if (ids[t] < 0 || ids[t] >= m->vocab) return -1;
    if (T > 1u << 20) return -1;
    size_t TH = T * (size_t)H;
    float *x = malloc(sizeof(float) * TH), *q = malloc(sizeof(float) * TH), *k = malloc(sizeof(float) * TH);
    float *v = malloc(sizeof(float) * TH), *ctx = malloc(sizeof(float) * TH), *tmp = malloc(sizeof(float) * TH);
    float *mid = malloc(sizeof(float) * T * (size_t)F), *prob = malloc(sizeof(float) * (size_t)m->positions);
    quantized qa = { malloc(T * (size_t)F), malloc(sizeof(float) * T * (size_t)(F / BLOCK)), malloc(sizeof(int32_t) * T * (size_t)(F / BLOCK)) };
    int status = 0;
    if (!x || !q || !k || !v || !ctx || !tmp || !mid || !prob || !qa.values || !qa.scales || !qa.sums) { status = -2; goto done; }

    /* Embeddings: word + position (from 0 within each sequence) + token type 0, normalised. */
    size_t t = 0;
    for (int s = 0; s < count; s++) {
        for (int p = 0; p < lengths[s]; p++, t++) {
            float *r = x + t * H;
            dequantize_row(m->words + (size_t)ids[t] * (size_t)(H / BLOCK) * BLOCK_BYTES, H, r);
            const float *position = m->position + (size_t)p * H;
            for (int i = 0; i < H; i++) r[i] += position[i] + m->type[i];
        }
    }
    add_norm(x, NULL, m->norm_w, m->norm_b, (int)T, H, m->eps);

    float scale = 1.0f / sqrtf((float)hd);
    for (int l = 0; l < m->layers; l++) {
        const layer *y = &m->stack[l];
        quantize(x, (int)T, H, &qa);
        linear(y->query_w, y->query_b, &qa, q, (int)T, H, H);
        linear(y->key_w, y->key_b, &qa, k, (int)T, H, H);
        linear(y->value_w, y->value_b, &qa, v, (int)T, H, H);
        /* Attention within each sequence. */
        size_t start = 0;
        for (int s = 0; s < count; s++) {
            size_t end = start + (size_t)lengths[s];
            for (size_t i = start; i < end; i++) {
                for (int h = 0; h < heads; h++) {
                    const float *qi = q + i * H + h * hd;
                    float largest = -INFINITY;
                    for (size_t j = start; j < end; j++) {
                        const float *kj = k + j * H + h * hd;
                        float dot = 0;
                        for (int e = 0; e < hd; e++) dot += qi[e] * kj[e];
                        dot *= scale;
                        prob[j - start] = dot;
                        largest = fmaxf(largest, dot);
                    }
                    float sum = 0;
                    for (size_t j = start; j < end; j++) {
                        prob[j - start] = expf(prob[j - start] - largest);
                        sum += prob[j - start];
                    }
                    float *ci = ctx + i * H + h * hd;
                    for (int e = 0; e < hd; e++) ci[e] = 0;
                    for (size_t j = start; j < end; j++) {
                        float p = prob[j - start] / sum;
                        const float *vj = v + j * H + h * hd;
                        for (int e = 0; e < hd; e++) ci[e] += p * vj[e];
                    }
                }
            }
            start = end;
        }
        quantize(ctx, (int)T, H, &qa);
        linear(y->attn_out_w, y->attn_out_b, &qa, tmp, (int)T, H, H);
        add_norm(x, tmp, y->attn_norm_w, y->attn_norm_b, (int)T, H, m->eps);
        quantize(x, (int)T, H, &qa);
        linear(y->ffn_in_w, y->ffn_in_b, &qa, mid, (int)T, F, H);
        for (size_t i = 0; i < T * (size_t)F; i++) mid[i] = 0.5f * mid[i] * (1.0f + erff(mid[i] * 0.70710678f));
        quantize(mid, (int)T, F, &qa);
        linear(y->ffn_out_w, y->ffn_out_b, &qa, tmp, (int)T, H, F);
        add_norm(x, tmp, y->out_norm_w, y->out_norm_b, (int)T, H, m->eps);
    }

    /* Mean over each sequence's tokens (every token is real: no padding is ever fed). */
    t = 0;
    for (int s = 0; s < count; s++) {
        float *o = out + (size_t)s * H;
        for (int i = 0; i < H; i++) o[i] = 0;
        for (int p = 0; p < lengths[s]; p++, t++)
            for (int i = 0; i < H; i++) o[i] += x[t * H + i];
        for (int i = 0; i < H; i++) o[i] /= (float)lengths[s];
    }
done:
    free(x); free(q); free(k); free(v); free(ctx); free(tmp); free(mid); free(prob);
    free(qa.values); free(qa.scales); free(qa.sums);
    return status;
}
