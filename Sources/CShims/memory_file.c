#define _GNU_SOURCE
#include "CShims.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

int sohoa_memory_file(const char *name, const unsigned char *bytes, size_t count) {
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0) return -1;
    size_t written = 0;
    while (written < count) {
        ssize_t step = write(fd, bytes + written, count - written);
        if (step < 0) {
            if (errno == EINTR) continue;
            close(fd);
            return -1;
        }
        written += (size_t)step;
    }
    return fd;
}
