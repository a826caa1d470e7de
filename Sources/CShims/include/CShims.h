/*
 * The few things Swift cannot call directly: libtiff's variadic tag getters and its
 * va_list-based error handlers, and OpenSSL's stack macros.
 * Everything else is called from Swift through the system-library modules.
 */
#ifndef SOHOA_CSHIMS_H
#define SOHOA_CSHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <tiffio.h>
#include <openssl/x509.h>

/* ---- libtiff -------------------------------------------------------------------------- */

/* Collects what libtiff reports for one open TIFF handle, instead of letting it print. */
typedef struct SohoaTIFFDiagnostics {
    char firstError[512];
    char lastError[512];
    char lastWarning[512];
    unsigned int errorCount;
    unsigned int warningCount;
} SohoaTIFFDiagnostics;

/* Opens a TIFF file for reading with errors and warnings routed into `diagnostics`, which must
 * outlive the handle. `maxSingleAllocation` bounds any one allocation libtiff makes (0: no bound). */
TIFF *sohoa_tiff_open(const char *path, SohoaTIFFDiagnostics *diagnostics,
                      size_t maxSingleAllocation);

/* Typed getters for TIFFGetField; each returns 1 when the tag is present. */
int sohoa_tiff_get_u16(TIFF *tiff, uint32_t tag, uint16_t *value);
int sohoa_tiff_get_u32(TIFF *tiff, uint32_t tag, uint32_t *value);
int sohoa_tiff_get_float(TIFF *tiff, uint32_t tag, float *value);
/* As above, but falling back to the TIFF specification's default value. */
int sohoa_tiff_get_u16_defaulted(TIFF *tiff, uint32_t tag, uint16_t *value);
/* Tags whose value is a count and an array of uint16 (ExtraSamples). */
int sohoa_tiff_get_u16_array(TIFF *tiff, uint32_t tag, uint16_t *count, const uint16_t **values);

/* ---- OpenSSL -------------------------------------------------------------------------- */

int sohoa_sk_X509_num(const STACK_OF(X509) *stack);
X509 *sohoa_sk_X509_value(const STACK_OF(X509) *stack, int index);
/* Frees the stack and every certificate in it. */
void sohoa_sk_X509_pop_free(STACK_OF(X509) *stack);
void sohoa_openssl_free(void *pointer);
/* XN_FLAG_RFC2253 without escaping non-ASCII, so names print as UTF-8. */
unsigned long sohoa_name_print_flags_utf8(void);

#endif
