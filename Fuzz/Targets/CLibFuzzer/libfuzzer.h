/*
 * libFuzzer's driver, as libclang_rt.fuzzer declares it (compiler-rt's FuzzerInterface.h).
 * Nothing to link: `-sanitize=fuzzer` links the runtime into every fuzz target.
 */
#ifndef SOHOA_LIBFUZZER_H
#define SOHOA_LIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/* Runs libFuzzer with the command line `argc`/`argv`, calling `callback` once per input
 * (declared with `const void *` rather than `const uint8_t *`: the same pointer, and Swift
 * then takes a target's `(UnsafeRawPointer, Int) -> CInt` function as it is). */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const void *_Nonnull data, size_t size));

#endif
