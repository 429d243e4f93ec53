#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
// zlib, for compressing archived memories (Debian: zlib1g-dev).
#include <zlib.h>
#endif
