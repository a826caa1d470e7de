/*
 * The few things Swift cannot call directly: libtiff's variadic tag getters and its
 * va_list-based error handlers, OpenSSL's stack macros, and the libpng and libjpeg calls whose
 * errors longjmp.
 * Everything else is called from Swift through the system-library modules.
 */
#ifndef SOHOA_CSHIMS_H
#define SOHOA_CSHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <tiffio.h>
#include <openssl/x509.h>
#include <openssl/pkcs7.h>
#include <openssl/cms.h>
#include <openssl/ocsp.h>
#include <png.h>

/* ---- memory files ---------------------------------------------------------------------- */

/* A file that lives in memory only (Linux memfd), holding `count` bytes: for libraries that read
 * from a path (libtiff), reached as /proc/self/fd/N. Returns the descriptor, -1 on failure. */
int sohoa_memory_file(const char *name, const unsigned char *bytes, size_t count);

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

/* Sets a uint16 tag on an open handle (in memory only when the file is open for reading). */
int sohoa_tiff_set_u16(TIFF *tiff, uint32_t tag, uint16_t value);
/* Sets an int tag, such as TIFFTAG_JPEGCOLORMODE. */
int sohoa_tiff_set_int(TIFF *tiff, uint32_t tag, int value);
/* Palette (ColorMap): three arrays of 2^bitsPerSample uint16 entries. */
int sohoa_tiff_get_colormap(TIFF *tiff, const uint16_t **red, const uint16_t **green, const uint16_t **blue);
/* DateTime and other ASCII tags. */
int sohoa_tiff_get_string(TIFF *tiff, uint32_t tag, const char **value);

/* Encodes a bilevel image (rows of packed bits, most significant bit first, 1 = black) as one
 * CCITT Group 4 strip. On success returns 0 and sets *out (free with free()) and *outLength;
 * on failure returns -1 and writes libtiff's reason into `message`. */
int sohoa_g4_encode(const uint8_t *rows, uint32_t width, uint32_t height, size_t bytesPerRow,
                    uint8_t **out, size_t *outLength, char *message, size_t messageSize);

/* ---- libjpeg (classic API, wrapped whole so that its longjmp never crosses Swift) ----- */

/* The first rows of a JPEG decoded to 8-bit gray at a reduced scale. */
typedef struct SohoaGrayRows {
    uint8_t *pixels;   /* width × rows samples, free with free() */
    uint32_t width;    /* of the scaled image */
    uint32_t rows;     /* rows decoded, from the top */
    uint32_t height;   /* of the whole scaled image */
} SohoaGrayRows;

/* Decodes the first `maxRows` rows of a JPEG held in memory at 1/`scale` (1, 2, 4 or 8) to gray,
 * and stops there: the compressed data of the rows below is never read (a progressive JPEG is
 * read whole all the same). Returns 0 on success, -1 with libjpeg's reason in `message`. */
int sohoa_jpeg_gray_rows(const uint8_t *data, size_t length, unsigned int scale, uint32_t maxRows,
                         SohoaGrayRows *result, char *message, size_t messageSize);

/* ---- libpng (classic API, wrapped whole so that its longjmp never crosses Swift) ------ */

/* What sohoa_png_decode produced. Samples are interleaved, 8 or 16 bits (16-bit big-endian),
 * with palettes, low bit depths and tRNS expanded (tRNS becomes an alpha channel). */
typedef struct SohoaPNGRaster {
    uint8_t *pixels;      /* free with free() */
    uint32_t width;
    uint32_t height;
    uint32_t channels;    /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA */
    uint32_t bitDepth;    /* 8 or 16 */
    size_t bytesPerRow;
} SohoaPNGRaster;

/* Decodes a whole PNG file held in memory. Refuses images over maxPixels before allocating.
 * Inflates no further than the image's rows need (and the end of the stream): compressed data
 * that goes on after the last row is refused. Returns 0 on success; -3 when the image data goes
 * on after the last row; -1 with libpng's reason in `message`. */
int sohoa_png_decode(const uint8_t *data, size_t length, uint64_t maxPixels, SohoaPNGRaster *raster,
                     char *message, size_t messageSize);

/* Encodes interleaved samples (1–4 channels, 8 or 16 bits, 16-bit big-endian) as a PNG file in
 * memory, with adaptive filtering, so that its IDAT is a FlateDecode stream with PNG predictors.
 * Returns 0 on success; -1 with the reason in `message`. */
int sohoa_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                     uint32_t bitDepth, size_t bytesPerRow, uint8_t **out, size_t *outLength,
                     char *message, size_t messageSize);

/* ---- OpenSSL -------------------------------------------------------------------------- */

int sohoa_sk_X509_num(const STACK_OF(X509) *stack);
X509 *sohoa_sk_X509_value(const STACK_OF(X509) *stack, int index);
/* Frees the stack and every certificate in it. */
void sohoa_sk_X509_pop_free(STACK_OF(X509) *stack);
/* Frees the stack only, not the certificates (for get0 stacks such as CMS_get0_signers). */
void sohoa_sk_X509_free(STACK_OF(X509) *stack);
void sohoa_openssl_free(void *pointer);
STACK_OF(X509) *sohoa_sk_X509_new_null(void);
/* Pushes `certificate` (taking one reference of the caller's) onto `stack`. */
int sohoa_sk_X509_push_up_ref(STACK_OF(X509) *stack, X509 *certificate);
/* The certificates carried by a PKCS#7 SignedData (a time-stamp token); NULL when none. */
STACK_OF(X509) *sohoa_pkcs7_certificates(PKCS7 *signedData);
/* XN_FLAG_RFC2253 without escaping non-ASCII, so names print as UTF-8. */
unsigned long sohoa_name_print_flags_utf8(void);
/* The URIs of a certificate's CRL distribution points (which = 0) or of its OCSP responders in
 * the authority information access (which = 1), joined by newlines; NULL when there are none.
 * Free the result with sohoa_openssl_free. */
char *sohoa_x509_uris(X509 *certificate, int which);
/* The signer infos of a CMS SignedData. */
int sohoa_cms_signer_count(CMS_ContentInfo *cms);
CMS_SignerInfo *sohoa_cms_signer(CMS_ContentInfo *cms, int index);
/* CRL stacks (CMS_get1_crls). */
int sohoa_sk_X509_CRL_num(const STACK_OF(X509_CRL) *stack);
X509_CRL *sohoa_sk_X509_CRL_value(const STACK_OF(X509_CRL) *stack, int index);
void sohoa_sk_X509_CRL_pop_free(STACK_OF(X509_CRL) *stack);
/* The certificates an OCSP basic response carries (not owned; NULL when none). */
const STACK_OF(X509) *sohoa_ocsp_basic_certificates(OCSP_BASICRESP *response);
/* 1 when the CMS SignedData has no encapsulated content (a detached signature). */
int sohoa_cms_is_detached(CMS_ContentInfo *cms);

#endif
