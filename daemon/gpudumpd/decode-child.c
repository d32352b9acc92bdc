/* SPDX-License-Identifier: MIT */
/*
 * The bus's Decode method, run in a process forked for the call: libgpudump (and the OpenSSL it
 * loads, which cannot be unloaded) is mapped there and goes away with it, so the daemon stays
 * small after a Decode. The child reports a status, then the JSON, on a pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "decode-child.h"
#include "gd-fd.h"
#include "gd-macro.h"
#include "libgpudump-dl.h"

/* What a decode process reports first on its pipe, then the JSON. */
struct decode_status {
        int r;         /* 0, or the negative errno of the stage that failed */
        int stage;     /* DECODE_LOAD, DECODE_PARSE, DECODE_RENDER */
};
enum { DECODE_LOAD, DECODE_PARSE, DECODE_RENDER };

/* The decode process: libgpudump (and the OpenSSL it loads, which cannot be unloaded) is
 * mapped here and goes away with it, so the daemon stays small after a Decode. */
static _Noreturn void decode_main(int fd, unsigned flags, pid_t parent, int out) {
        _cleanup_(libgpudump_dl_closep) int lib = -EOPNOTSUPP;
        struct decode_status st = { 0, DECODE_LOAD };
        struct gpudump_dump *dump = NULL;
        char *json = NULL;

        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
                _exit(EXIT_FAILURE);
        lib = libgpudump_dl_open();
        st.r = lib < 0 ? lib : 0;
        if (st.r == 0) {
                st.stage = DECODE_PARSE;
                st.r = sym_gpudump_dump_new_from_fd(fd, GPUDUMP_OPEN_HASH, &dump);
        }
        if (st.r == 0) {
                st.stage = DECODE_RENDER;
                st.r = sym_gpudump_dump_to_json(dump, flags, &json);
        }
        if (gd_write_all(out, &st, sizeof(st)) < 0 || (json && gd_write_all(out, json, strlen(json)) < 0))
                _exit(EXIT_FAILURE);
        _exit(EXIT_SUCCESS);
}

/* Decode in a child process and read its report: the reply's JSON, or an error named. */
int decode_in_child(int fd, unsigned flags, const char *id, int bus_fd, char **ret_json, sd_bus_error *error) {
        _cleanup_free_ char *buf = NULL;
        size_t len = 0, cap = 0;
        int pipefd[2], status = 0;
        pid_t parent = getpid(), pid;

        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return sd_bus_error_set_errnof(error, errno, "cannot decode %s: %s", id, strerror(errno));
        pid = fork();
        if (pid == 0) {
                /* Not the daemon's bus connection: a killed daemon's name would stay owned
                 * until this process ended (as with the collector). */
                if (bus_fd >= 0)
                        close(bus_fd);
                close(pipefd[0]);
                decode_main(fd, flags, parent, pipefd[1]);
        }
        close(pipefd[1]);
        if (pid < 0) {
                int e = errno;
                close(pipefd[0]);
                return sd_bus_error_set_errnof(error, e, "cannot decode %s: %s", id, strerror(e));
        }
        bool short_read = false;
        for (;;) {
                if (cap - len < 65536) {
                        char *b = realloc(buf, cap ? cap * 2 : 1 << 20);
                        if (!b) {
                                short_read = true;
                                break;
                        }
                        buf = b;
                        cap = cap ? cap * 2 : 1 << 20;
                }
                ssize_t k = read(pipefd[0], buf + len, cap - len - 1);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        break;
                len += (size_t)k;
        }
        close(pipefd[0]);
        if (short_read)
                (void)kill(pid, SIGKILL); /* out of memory here: it may still be writing */
        (void)waitpid(pid, &status, 0);
        if (short_read || len < sizeof(struct decode_status))
                return sd_bus_error_set_errnof(error, EIO, "cannot decode %s: the decoder failed", id);
        struct decode_status st;
        memcpy(&st, buf, sizeof(st));
        if (st.r < 0 && st.stage == DECODE_LOAD)
                return sd_bus_error_set_errnof(error, -st.r, "cannot decode %s: %s is not available", id,
                                               "libgpudump.so.0");
        if (st.r < 0)
                return sd_bus_error_set_errnof(error, -st.r, "cannot %s %s: %s",
                                               st.stage == DECODE_PARSE ? "decode" : "render", id,
                                               strerror(-st.r));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return sd_bus_error_set_errnof(error, EIO, "cannot decode %s: the decoder failed", id);
        buf[len] = 0;
        memmove(buf, buf + sizeof(st), len - sizeof(st) + 1);
        *ret_json = TAKE_PTR(buf);
        return 0;
}

