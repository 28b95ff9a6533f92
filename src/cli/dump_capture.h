/*
 * dump_capture.h - `wskdump capture`: a headless capture into the session's own .etl file (Windows).
 */
#ifndef WSK_DUMP_CAPTURE_H
#define WSK_DUMP_CAPTURE_H

/* argv[0] is "capture". Returns wskdump's exit code. */
int dump_capture(int argc, char **argv);

#endif
