/* tmws_scan.c: see include/tmws_scan.h. */
#include "tmws_scan.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2"))) static void scan_avx2(const int8_t *vectors, const float *scales, int64_t count, int dimension,
                                                      const int8_t *query, float query_scale, float *scores) {
    int wide = dimension / 16 * 16;
    for (int64_t i = 0; i < count; i++) {
        const int8_t *v = vectors + i * dimension;
        __m256i acc = _mm256_setzero_si256();
        for (int j = 0; j < wide; j += 16) {
            __m256i a = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(v + j)));
            __m256i b = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(query + j)));
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(a, b));
        }
        __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
        int32_t dot = _mm_cvtsi128_si32(s);
        for (int j = wide; j < dimension; j++) dot += v[j] * query[j];
        scores[i] = scales[i] * query_scale * (float)dot;
    }
}
#endif

static void scan_portable(const int8_t *vectors, const float *scales, int64_t count, int dimension, const int8_t *query,
                          float query_scale, float *scores) {
    for (int64_t i = 0; i < count; i++) {
        const int8_t *v = vectors + i * dimension;
        int32_t dot = 0;
        for (int j = 0; j < dimension; j++) dot += v[j] * query[j];
        scores[i] = scales[i] * query_scale * (float)dot;
    }
}

void tmws_scan_i8(const int8_t *vectors, const float *scales, int64_t count, int dimension, const int8_t *query,
                  float query_scale, float *scores) {
#if defined(__x86_64__)
    static int avx2 = -1;
    if (avx2 < 0) {
        __builtin_cpu_init();
        avx2 = __builtin_cpu_supports("avx2");
    }
    if (avx2) { scan_avx2(vectors, scales, count, dimension, query, query_scale, scores); return; }
#endif
    scan_portable(vectors, scales, count, dimension, query, query_scale, scores);
}
