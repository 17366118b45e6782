// miniaudio's implementation (third-party, one header): compiled here alone, without our warnings.
#define MINIAUDIO_IMPLEMENTATION
#define MA_NO_GENERATION
#include <miniaudio.h>
