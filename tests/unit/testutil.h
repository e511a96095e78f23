/* testutil.h: helpers shared by the Check unit tests. */
#ifndef NANOSSH_TESTUTIL_H
#define NANOSSH_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>
#include <jansson.h>

/* Path of a file under the source tree's tests/ (uses $NANOSSH_SRCDIR);
 * static storage, overwritten by the next call. */
const char *tu_path(const char *relpath);
/* Decodes a hex string into a new allocation (never NULL, even for "");
 * aborts the test on bad hex. */
uint8_t *tu_hex(const char *hex, size_t *lenp);
/* Loads tests/vectors/wycheproof/NAME; aborts the test on failure. */
json_t *tu_wycheproof(const char *name);
/* The string member of a JSON object, or "" when absent. */
const char *tu_str(const json_t *obj, const char *key);
/* 1 if the test case's "result" is "valid", 0 for "invalid", -1 for
 * "acceptable" (either outcome is allowed). */
int tu_expect(const json_t *tcase);

/* Runs fn over every file of tests/fuzz/corpus/NAME (a fuzz target's
 * seeds, replayed as a regression test); returns how many ran. */
size_t tu_replay_corpus(const char *name,
    int (*fn)(const uint8_t *data, size_t size));

/* Runs every test of suite s and frees the runner: what a test program's
 * main returns (EXIT_SUCCESS when all passed). */
int tu_run(Suite *s);

#endif
