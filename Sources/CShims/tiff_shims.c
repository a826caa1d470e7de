#include "CShims.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

int sohoa_tiff_set_u16(TIFF *tiff, uint32_t tag, uint16_t value) {
    return TIFFSetField(tiff, tag, value);
}

int sohoa_tiff_set_int(TIFF *tiff, uint32_t tag, int value) {
    return TIFFSetField(tiff, tag, value);
}

int sohoa_tiff_get_colormap(TIFF *tiff, const uint16_t **red, const uint16_t **green, const uint16_t **blue) {
    uint16_t *r = NULL, *g = NULL, *b = NULL;
    int found = TIFFGetField(tiff, TIFFTAG_COLORMAP, &r, &g, &b);
    *red = r;
    *green = g;
    *blue = b;
    return found;
}

int sohoa_tiff_get_string(TIFF *tiff, uint32_t tag, const char **value) {
    char *text = NULL;
    int found = TIFFGetField(tiff, tag, &text);
    *value = text;
    return found;
}

/* ---- an in-memory file for libtiff ---------------------------------------------------- */

typedef struct MemoryFile {
    uint8_t *bytes;
    size_t length;
    size_t capacity;
    size_t position;
} MemoryFile;

static tmsize_t memory_read(thandle_t handle, void *buffer, tmsize_t size) {
    MemoryFile *file = handle;
    if (size < 0 || file->position >= file->length) return 0;
    size_t count = (size_t)size;
    if (count > file->length - file->position) count = file->length - file->position;
    memcpy(buffer, file->bytes + file->position, count);
    file->position += count;
    return (tmsize_t)count;
}

static tmsize_t memory_write(thandle_t handle, void *buffer, tmsize_t size) {
    MemoryFile *file = handle;
    if (size < 0) return -1;
    size_t end = file->position + (size_t)size;
    if (end > file->capacity) {
        size_t capacity = file->capacity ? file->capacity : 65536;
        while (capacity < end) capacity *= 2;
        uint8_t *grown = realloc(file->bytes, capacity);
        if (grown == NULL) return -1;
        file->bytes = grown;
        file->capacity = capacity;
    }
    if (file->position > file->length) memset(file->bytes + file->length, 0, file->position - file->length);
    memcpy(file->bytes + file->position, buffer, (size_t)size);
    file->position = end;
    if (end > file->length) file->length = end;
    return size;
}

static toff_t memory_seek(thandle_t handle, toff_t offset, int whence) {
    MemoryFile *file = handle;
    uint64_t base = whence == SEEK_CUR ? file->position : whence == SEEK_END ? file->length : 0;
    file->position = (size_t)(base + offset);
    return file->position;
}

static int memory_close(thandle_t handle) { (void)handle; return 0; }
static toff_t memory_size(thandle_t handle) { return ((MemoryFile *)handle)->length; }
static int memory_map(thandle_t h, void **base, toff_t *size) { (void)h; (void)base; (void)size; return 0; }
static void memory_unmap(thandle_t h, void *base, toff_t size) { (void)h; (void)base; (void)size; }

static TIFF *memory_open(const char *mode, MemoryFile *file, SohoaTIFFDiagnostics *diagnostics) {
    pthread_once(&silence_once, silence_global_handlers);
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (options == NULL) return NULL;
    TIFFOpenOptionsSetErrorHandlerExtR(options, on_error, diagnostics);
    TIFFOpenOptionsSetWarningHandlerExtR(options, on_warning, diagnostics);
    TIFF *tiff = TIFFClientOpenExt("memory", mode, file, memory_read, memory_write, memory_seek,
                                   memory_close, memory_size, memory_map, memory_unmap, options);
    TIFFOpenOptionsFree(options);
    return tiff;
}

int sohoa_g4_encode(const uint8_t *rows, uint32_t width, uint32_t height, size_t bytesPerRow,
                    uint8_t **out, size_t *outLength, char *message, size_t messageSize) {
    SohoaTIFFDiagnostics diagnostics;
    memset(&diagnostics, 0, sizeof diagnostics);
    MemoryFile file = {0};
    *out = NULL;
    *outLength = 0;
    int status = -1;

    TIFF *writer = memory_open("w", &file, &diagnostics);
    if (writer == NULL) goto done;
    TIFFSetField(writer, TIFFTAG_IMAGEWIDTH, width);
    TIFFSetField(writer, TIFFTAG_IMAGELENGTH, height);
    TIFFSetField(writer, TIFFTAG_BITSPERSAMPLE, 1);
    TIFFSetField(writer, TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(writer, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
    TIFFSetField(writer, TIFFTAG_FILLORDER, FILLORDER_MSB2LSB);
    TIFFSetField(writer, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
    TIFFSetField(writer, TIFFTAG_ROWSPERSTRIP, height);
    TIFFSetField(writer, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    size_t packed = ((size_t)width + 7) / 8;
    int ok = 1;
    for (uint32_t row = 0; row < height && ok; row++) {
        ok = TIFFWriteScanline(writer, (void *)(rows + (size_t)row * bytesPerRow), row, 0) == 1;
    }
    (void)packed;
    TIFFClose(writer);
    if (!ok || diagnostics.errorCount > 0) goto done;

    file.position = 0;
    TIFF *reader = memory_open("r", &file, &diagnostics);
    if (reader == NULL) goto done;
    uint64_t *counts = NULL;
    if (TIFFGetField(reader, TIFFTAG_STRIPBYTECOUNTS, &counts) == 1 && counts != NULL && TIFFNumberOfStrips(reader) == 1) {
        size_t length = (size_t)counts[0];
        uint8_t *bytes = malloc(length ? length : 1);
        if (bytes != NULL && TIFFReadRawStrip(reader, 0, bytes, (tmsize_t)length) == (tmsize_t)length) {
            *out = bytes;
            *outLength = length;
            status = 0;
        } else {
            free(bytes);
        }
    }
    TIFFClose(reader);

done:
    if (status != 0) {
        snprintf(message, messageSize, "%s",
                 diagnostics.errorCount > 0 ? diagnostics.lastError : "libtiff could not encode CCITT G4");
    }
    free(file.bytes);
    return status;
}
