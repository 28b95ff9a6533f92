/*
 * fuzz_replay.c - runs files through the fuzz target without libFuzzer: the committed reproducers
 * in tests/fuzz/repro/ (a CTest test), and, with --cuts, prefixes of a file on a coarse grid
 * (the real samples truncated anywhere, as issue 3 asks of bad files).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads a whole file into an exactly sized allocation (so an overread is an overread under ASan). */
static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;
    int rc = -1;
    if (!fp)
        return -1;
    if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0)
        goto cleanup;
    buf = (uint8_t *)malloc(n ? (size_t)n : 1);
    if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n)
        goto cleanup;
    *out = buf;
    *len = (size_t)n;
    buf = NULL;
    rc = 0;
cleanup:
    free(buf);
    fclose(fp);
    return rc;
}

/* A copy of the first len bytes, exactly sized. */
static void run_prefix(const uint8_t *data, size_t len)
{
    uint8_t *copy = (uint8_t *)malloc(len ? len : 1);
    if (!copy) {
        fprintf(stderr, "fuzz_replay: out of memory\n");
        exit(1);
    }
    memcpy(copy, data, len);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
}

int main(int argc, char **argv)
{
    int i, cuts = 0, files = 0;
    for (i = 1; i < argc; i++) {
        uint8_t *data = NULL;
        size_t len = 0, step, at;
        if (strcmp(argv[i], "--cuts") == 0) {
            cuts = 1;
            continue;
        }
        if (read_file(argv[i], &data, &len) != 0) {
            fprintf(stderr, "fuzz_replay: cannot read %s\n", argv[i]);
            return 1;
        }
        LLVMFuzzerTestOneInput(data, len);
        if (cuts) {
            /* ~24 cut points per file (8 above 1 MiB, to keep sanitizer runs short), plus odd lengths
             * through the header record. */
            step = len / (len > (1u << 20) ? 8 : 24) + 1;
            for (at = 0; at < len; at += step)
                run_prefix(data, at);
            for (at = 1; at < 0x200 && at < len; at += 7)
                run_prefix(data, at);
        }
        free(data);
        files++;
        printf("ok %s (%lu bytes)\n", argv[i], (unsigned long)len);
    }
    printf("%d file(s) replayed\n", files);
    return 0;
}
