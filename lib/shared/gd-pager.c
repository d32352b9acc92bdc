/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gd-pager.h"
#include "gd-macro.h"

/* One pager per process: stdout is process-wide too. */
static pid_t pager_pid;
static int saved_stdout = -1;

bool gd_pager_active(void) {
        return pager_pid > 0;
}

static const char *pager_command(void) {
        const char *p = getenv("GPUDUMP_PAGER");

        if (!p)
                p = getenv("PAGER");
        if (!p)
                p = "less";
        return p;
}

int gd_pager_open(bool no_pager) {
        const char *cmd;
        int fds[2];

        if (no_pager || pager_pid > 0 || !isatty(STDOUT_FILENO))
                return 0;
        cmd = pager_command();
        if (cmd[0] == '\0' || strcmp(cmd, "cat") == 0)
                return 0;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return -errno;
        fflush(stdout);

        pager_pid = fork();
        if (pager_pid < 0) {
                int r = -errno;
                close(fds[0]);
                close(fds[1]);
                pager_pid = 0;
                return r;
        }
        if (pager_pid == 0) {
                /* Child: read our output from the pipe, keep the terminal as stdout. */
                if (dup2(fds[0], STDIN_FILENO) < 0)
                        _exit(EXIT_FAILURE);
                close(fds[0]);
                close(fds[1]);
                /* F: quit if one screen, R: raw colours, S: chop lines, X: no init,
                 * M: verbose prompt, K: quit on ^C; the same defaults as coredumpctl. */
                setenv("LESS", "FRSXMK", 0);
                execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
                _exit(EXIT_FAILURE);
        }

        saved_stdout = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
        if (dup2(fds[1], STDOUT_FILENO) < 0) {
                int r = -errno;
                close(fds[0]);
                close(fds[1]);
                return r;
        }
        close(fds[0]);
        close(fds[1]);
        /* The user quitting the pager early must not kill us with SIGPIPE mid-write. */
        signal(SIGPIPE, SIG_IGN);
        return 0;
}

void gd_pager_close(void) {
        if (pager_pid <= 0)
                return;
        fflush(stdout);
        /* Give stdout back to the terminal; closing the pipe's last write end ends the pager's input. */
        if (saved_stdout >= 0) {
                dup2(saved_stdout, STDOUT_FILENO);
                close(saved_stdout);
                saved_stdout = -1;
        } else
                close(STDOUT_FILENO);
        while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
                ;
        pager_pid = 0;
}
