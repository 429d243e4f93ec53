/*
 * tmws_scan: the node's brute-force vector scan. Every stored vector is int8 with a scale;
 * the query is quantised the same way, so a score is scale_v × scale_q × Σ v_i·q_i.
 */
#ifndef TMWS_SCAN_H
#define TMWS_SCAN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* scores[i] = scales[i] * query_scale * dot(vectors[i], query) for i < count, each vector
 * `dimension` int8 values, back to back. AVX2 where the CPU has it. */
void tmws_scan_i8(const int8_t *vectors, const float *scales, int64_t count, int dimension, const int8_t *query,
                  float query_scale, float *scores);

#ifdef __cplusplus
}
#endif
#endif
