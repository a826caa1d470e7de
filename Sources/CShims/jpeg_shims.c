#include "CShims.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

/* libjpeg's error manager, extended with where to jump back to and room for the reason. */
typedef struct JPEGErrors {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
} JPEGErrors;

static void sohoa_jpeg_fail(j_common_ptr info) {
    JPEGErrors *errors = (JPEGErrors *)info->err;
    longjmp(errors->jump, 1);
}

/* A progressive JPEG of more scans than this is refused: each scan makes the decoder go over the
 * whole image again, so a file of tiny scans costs unbounded time (as TurboJPEG's LIMITSCANS). */
#define SOHOA_JPEG_SCAN_LIMIT 500

static void sohoa_jpeg_progress(j_common_ptr info) {
    j_decompress_ptr decompress = (j_decompress_ptr)info;
    if (decompress->progressive_mode && decompress->input_scan_number > SOHOA_JPEG_SCAN_LIMIT) {
        longjmp(((JPEGErrors *)info->err)->jump, 2);
    }
}

/* Warnings (corrupt data libjpeg can go past) are left to the full decoder that validates pages. */
static void sohoa_jpeg_quiet(j_common_ptr info, int level) {
    (void)info;
    (void)level;
}

int sohoa_jpeg_gray_rows(const uint8_t *data, size_t length, unsigned int scale, uint32_t maxRows,
                         SohoaGrayRows *result, char *message, size_t messageSize) {
    struct jpeg_decompress_struct info;
    JPEGErrors errors;
    /* Touched after a longjmp, hence volatile. */
    uint8_t *volatile pixels = NULL;
    memset(result, 0, sizeof(*result));
    /* Zeroed, so that destroying it after a failure inside jpeg_create_decompress is harmless. */
    memset(&info, 0, sizeof(info));
    if (messageSize > 0) message[0] = 0;
    info.err = jpeg_std_error(&errors.manager);
    errors.manager.error_exit = sohoa_jpeg_fail;
    errors.manager.emit_message = sohoa_jpeg_quiet;
    struct jpeg_progress_mgr progress;
    progress.progress_monitor = sohoa_jpeg_progress;
    int jumped = setjmp(errors.jump);
    if (jumped) {
        char reason[JMSG_LENGTH_MAX];
        if (jumped == 2) {
            snprintf(reason, sizeof reason, "a progressive JPEG of more than %d scans", SOHOA_JPEG_SCAN_LIMIT);
        } else {
            (*info.err->format_message)((j_common_ptr)&info, reason);
        }
        if (messageSize > 0) snprintf(message, messageSize, "%s", reason);
        jpeg_destroy_decompress(&info);
        free(pixels);
        return -1;
    }
    jpeg_create_decompress(&info);
    info.progress = &progress;
    jpeg_mem_src(&info, data, (unsigned long)length);
    jpeg_read_header(&info, TRUE);
    if (info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK) {
        if (messageSize > 0) snprintf(message, messageSize, "a CMYK JPEG cannot be decoded to gray");
        jpeg_destroy_decompress(&info);
        return -1;
    }
    info.out_color_space = JCS_GRAYSCALE;
    info.scale_num = 1;
    info.scale_denom = scale;
    info.dct_method = JDCT_ISLOW;
    info.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&info);
    uint32_t width = info.output_width, height = info.output_height;
    uint32_t rows = maxRows < height ? maxRows : height;
    pixels = malloc((size_t)width * (rows > 0 ? rows : 1));
    if (pixels == NULL) {
        if (messageSize > 0) snprintf(message, messageSize, "no memory for %u × %u pixels", width, rows);
        jpeg_destroy_decompress(&info);
        return -1;
    }
    while (info.output_scanline < rows) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)info.output_scanline * width);
        if (jpeg_read_scanlines(&info, &row, 1) != 1) break;
    }
    uint32_t decoded = info.output_scanline;
    /* Rows after those wanted are not decoded: the rest of the data is never read. */
    if (decoded < height) jpeg_abort_decompress(&info); else jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    result->pixels = pixels;
    result->width = width;
    result->rows = decoded;
    result->height = height;
    return 0;
}
