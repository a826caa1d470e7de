#include "CShims.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static pthread_once_t silence_once = PTHREAD_ONCE_INIT;

static void silence_global_handlers(void) {
    /* Without this, libtiff also prints every message to stderr. */
    TIFFSetErrorHandler(NULL);
    TIFFSetWarningHandler(NULL);
}

static void record(char *slot, size_t size, const char *module, const char *fmt, va_list ap) {
    char message[400];
    vsnprintf(message, sizeof message, fmt, ap);
    if (module != NULL && module[0] != '\0') {
        snprintf(slot, size, "%s: %s", module, message);
    } else {
        snprintf(slot, size, "%s", message);
    }
}

static int on_error(TIFF *tiff, void *user_data, const char *module, const char *fmt, va_list ap) {
    (void)tiff;
    SohoaTIFFDiagnostics *d = user_data;
    if (d == NULL) return 1;
    record(d->lastError, sizeof d->lastError, module, fmt, ap);
    if (d->errorCount == 0) memcpy(d->firstError, d->lastError, sizeof d->firstError);
    d->errorCount += 1;
    return 1;
}

static int on_warning(TIFF *tiff, void *user_data, const char *module, const char *fmt, va_list ap) {
    (void)tiff;
    SohoaTIFFDiagnostics *d = user_data;
    if (d == NULL) return 1;
    record(d->lastWarning, sizeof d->lastWarning, module, fmt, ap);
    d->warningCount += 1;
    return 1;
}

TIFF *sohoa_tiff_open(const char *path, SohoaTIFFDiagnostics *diagnostics,
                      size_t maxSingleAllocation) {
    pthread_once(&silence_once, silence_global_handlers);
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (options == NULL) return NULL;
    TIFFOpenOptionsSetErrorHandlerExtR(options, on_error, diagnostics);
    TIFFOpenOptionsSetWarningHandlerExtR(options, on_warning, diagnostics);
    if (maxSingleAllocation > 0) {
        TIFFOpenOptionsSetMaxSingleMemAlloc(options, (tmsize_t)maxSingleAllocation);
    }
    /* "r": read; "m": no memory-mapping, so a file truncated under us is an error, not SIGBUS. */
    TIFF *tiff = TIFFOpenExt(path, "rm", options);
    TIFFOpenOptionsFree(options);
    return tiff;
}

int sohoa_tiff_get_u16(TIFF *tiff, uint32_t tag, uint16_t *value) {
    return TIFFGetField(tiff, tag, value);
}

int sohoa_tiff_get_u32(TIFF *tiff, uint32_t tag, uint32_t *value) {
    return TIFFGetField(tiff, tag, value);
}

int sohoa_tiff_get_float(TIFF *tiff, uint32_t tag, float *value) {
    return TIFFGetField(tiff, tag, value);
}

int sohoa_tiff_get_u16_defaulted(TIFF *tiff, uint32_t tag, uint16_t *value) {
    return TIFFGetFieldDefaulted(tiff, tag, value);
}

int sohoa_tiff_get_u16_array(TIFF *tiff, uint32_t tag, uint16_t *count, const uint16_t **values) {
    uint16_t *array = NULL;
    int found = TIFFGetField(tiff, tag, count, &array);
    *values = array;
    return found;
}
