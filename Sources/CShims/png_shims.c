#include "CShims.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Error state shared with libpng's callbacks: the message, and where to jump back to. */
typedef struct PNGContext {
    jmp_buf jump;
    char *message;
    size_t messageSize;
    const uint8_t *input;
    size_t inputLength;
    size_t inputPosition;
    uint8_t *output;
    size_t outputLength;
    size_t outputCapacity;
    int outputFailed;
    /* The image's layout, once its header is read: for telling when every row is read. */
    int layoutKnown;
    int interlaced;
    png_uint_32 height;
    /* Compressed image data (IDAT payload) read after the last row, and whether there is more
     * of it than the end of a zlib stream (read after a longjmp, hence volatile). */
    size_t imageDataAfterRows;
    volatile int excessImageData;
    size_t chunkCursor;  /* a chunk at or before the read position (reads only move forward) */
} PNGContext;

/* How much compressed image data may follow the last row: the end of the zlib stream (its
 * last code and the Adler-32), with room for an encoder's empty blocks. libpng itself inflates
 * whatever follows to its end (gigabytes, from a stream of zeros a thousandth that size) and
 * then only warns "Too much image data"; here the read stops and the file is refused. */
#define SOHOA_PNG_IMAGE_DATA_TAIL 1024

static void png_context_error(png_structp png, png_const_charp text) {
    PNGContext *context = png_get_error_ptr(png);
    snprintf(context->message, context->messageSize, "%s", text);
    longjmp(context->jump, 1);
}

static void png_context_warning(png_structp png, png_const_charp text) {
    /* Warnings are not errors, decoding goes on; except inflated data beyond the last row (a
     * "benign" error, reported as a warning), which makes the file refused. */
    PNGContext *context = png_get_error_ptr(png);
    if (strstr(text, "Too much image data") != NULL) context->excessImageData = 1;
}

/* How many bytes of [start, start + length) of the file are IDAT payload (the chunk
 * structure was checked before decoding). Reads come in file order, so the walk over the
 * chunks goes on from where the previous call left it. */
static size_t png_image_data_within(PNGContext *context, size_t start, size_t length) {
    size_t offset = context->chunkCursor < 8 ? 8 : context->chunkCursor, found = 0, stop = start + length;
    while (context->inputLength >= 12 && offset <= context->inputLength - 12 && offset < stop) {
        const uint8_t *chunk = context->input + offset;
        size_t chunkLength = (size_t)chunk[0] << 24 | (size_t)chunk[1] << 16 | (size_t)chunk[2] << 8 | chunk[3];
        if (chunkLength > context->inputLength - offset - 12) break;
        size_t first = offset + 8, end = first + chunkLength;
        if (memcmp(chunk + 4, "IDAT", 4) == 0) {
            size_t from = first > start ? first : start, to = end < stop ? end : stop;
            if (to > from) found += to - from;
        }
        if (end + 4 <= stop) context->chunkCursor = end + 4;  /* wholly read: never looked at again */
        offset = end + 4;
    }
    return found;
}

/* Whether libpng has read every row (of every Adam7 pass): what it reads of the image data
 * from then on is the end of the zlib stream, or data that should not be there. */
static int png_rows_are_read(png_structp png, const PNGContext *context) {
    if (!context->layoutKnown) return 0;
    return context->interlaced ? png_get_current_pass_number(png) >= 7
                               : png_get_current_row_number(png) >= context->height;
}

static void png_context_read(png_structp png, png_bytep data, size_t length) {
    PNGContext *context = png_get_io_ptr(png);
    if (length > context->inputLength - context->inputPosition) {
        png_error(png, "the file ends before the image does");
    }
    if (png_rows_are_read(png, context)) {
        context->imageDataAfterRows += png_image_data_within(context, context->inputPosition, length);
        if (context->imageDataAfterRows > SOHOA_PNG_IMAGE_DATA_TAIL) {
            context->excessImageData = 1;
            png_error(png, "the compressed image data goes on after the last row");
        }
    }
    memcpy(data, context->input + context->inputPosition, length);
    context->inputPosition += length;
}

static void png_context_write(png_structp png, png_bytep data, size_t length) {
    PNGContext *context = png_get_io_ptr(png);
    size_t end = context->outputLength + length;
    if (end > context->outputCapacity) {
        size_t capacity = context->outputCapacity ? context->outputCapacity : 65536;
        while (capacity < end) capacity *= 2;
        uint8_t *grown = realloc(context->output, capacity);
        if (grown == NULL) {
            context->outputFailed = 1;
            png_error(png, "out of memory");
        }
        context->output = grown;
        context->outputCapacity = capacity;
    }
    memcpy(context->output + context->outputLength, data, length);
    context->outputLength = end;
}

static void png_context_flush(png_structp png) { (void)png; }

int sohoa_png_decode(const uint8_t *data, size_t length, uint64_t maxPixels, SohoaPNGRaster *raster,
                     char *message, size_t messageSize) {
    memset(raster, 0, sizeof *raster);
    PNGContext context;
    memset(&context, 0, sizeof context);
    context.message = message;
    context.messageSize = messageSize;
    context.input = data;
    context.inputLength = length;

    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &context, png_context_error, png_context_warning);
    if (png == NULL) {
        snprintf(message, messageSize, "libpng could not start");
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    uint8_t *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    if (info == NULL || setjmp(context.jump)) {
        free(pixels);
        free(rows);
        png_destroy_read_struct(&png, info ? &info : NULL, NULL);
        if (message[0] == '\0') snprintf(message, messageSize, "libpng could not decode the image");
        return context.excessImageData ? -3 : -1;
    }
    png_set_read_fn(png, &context, png_context_read);
    /* Checksums are checked: a bad CRC in any chunk is an error, not a warning. */
    png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_read_info(png, info);

    png_uint_32 width = png_get_image_width(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    if ((uint64_t)width * (uint64_t)height > maxPixels) {
        snprintf(message, messageSize, "image too large");
        png_destroy_read_struct(&png, &info, NULL);
        return -2;
    }
    int colourType = png_get_color_type(png, info);
    int bitDepth = png_get_bit_depth(png, info);
    if (colourType == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (colourType == PNG_COLOR_TYPE_GRAY && bitDepth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    if (bitDepth < 8) png_set_packing(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    context.interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
    context.height = height;
    context.layoutKnown = 1;

    raster->width = width;
    raster->height = height;
    raster->channels = png_get_channels(png, info);
    raster->bitDepth = png_get_bit_depth(png, info);
    raster->bytesPerRow = png_get_rowbytes(png, info);
    pixels = malloc(raster->bytesPerRow * height ? raster->bytesPerRow * height : 1);
    rows = malloc(sizeof(png_bytep) * (height ? height : 1));
    if (pixels == NULL || rows == NULL) png_error(png, "out of memory");
    for (png_uint_32 row = 0; row < height; row++) rows[row] = pixels + row * raster->bytesPerRow;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    if (context.excessImageData) png_error(png, "the image data inflates to more than its rows");
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    raster->pixels = pixels;
    return 0;
}

int sohoa_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t channels,
                     uint32_t bitDepth, size_t bytesPerRow, uint8_t **out, size_t *outLength,
                     char *message, size_t messageSize) {
    static const int colourTypes[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                                      PNG_COLOR_TYPE_RGB_ALPHA};
    *out = NULL;
    *outLength = 0;
    if (channels < 1 || channels > 4 || (bitDepth != 8 && bitDepth != 16)) {
        snprintf(message, messageSize, "unsupported sample layout");
        return -1;
    }
    PNGContext context;
    memset(&context, 0, sizeof context);
    context.message = message;
    context.messageSize = messageSize;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &context, png_context_error, png_context_warning);
    if (png == NULL) {
        snprintf(message, messageSize, "libpng could not start");
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL || setjmp(context.jump)) {
        png_destroy_write_struct(&png, info ? &info : NULL);
        free(context.output);
        if (message[0] == '\0') snprintf(message, messageSize, "libpng could not encode the image");
        return -1;
    }
    png_set_write_fn(png, &context, png_context_write, png_context_flush);
    png_set_IHDR(png, info, width, height, (int)bitDepth, colourTypes[channels], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 6);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_ALL_FILTERS);
    png_write_info(png, info);
    for (uint32_t row = 0; row < height; row++) {
        png_write_row(png, (png_const_bytep)(pixels + (size_t)row * bytesPerRow));
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    *out = context.output;
    *outLength = context.outputLength;
    return 0;
}
