/* dockerfile: a Dockerfile / Containerfile parser and the front end that
 * turns its final stage into a workload of the model.
 *
 * Syntax as BuildKit reads it: parser directives at the top (`# escape=`,
 * `# syntax=`, `# check=`), line continuations with the escape character
 * (comment and blank lines inside a continuation are dropped), heredocs
 * (`<<EOF`, `<<-EOF`, quoted delimiters, several per line) for RUN, COPY and
 * ADD, JSON (exec) and shell forms, `--flag=value` options, and variable
 * expansion ($var, ${var}, ${var:-word}, ${var:+word}, ${var-word},
 * ${var+word}) with ARG and ENV scoping: ARGs before the first FROM are seen
 * by FROM lines only (and by stages that re-declare them), ENV and ARG
 * accumulate per stage, a stage built FROM an earlier stage inherits its
 * ENV and USER. Only the final stage runs, so only it becomes a container.
 *
 * Errors: an unknown instruction, an instruction before the first FROM other
 * than ARG, a missing FROM, an unterminated heredoc, or an expansion past
 * HULL_DOCKERFILE_MAX_WORD bytes, each with file and line. Limits: the
 * caller caps the input size; the model caps instruction counts. */
#ifndef HULL_MISCONFIG_DOCKERFILE_H
#define HULL_MISCONFIG_DOCKERFILE_H

#include <stddef.h>

#include "misconfig/model.h"
#include "util/err.h"

#define HULL_DOCKERFILE_MAX_LINE  (1u << 20)  /* one logical instruction */
#define HULL_DOCKERFILE_MAX_WORD  (64u << 10) /* one expanded word */
#define HULL_DOCKERFILE_MAX_WORDS 4096u       /* words of one instruction */

/* Parses data[0..len) (file name `name` in positions and messages) into a
 * build allocated in m's arena. */
int hull_dockerfile_parse(struct hull_model *m, const char *data, size_t len, const char *name,
                          struct hull_build **out, struct hull_err *err);

/* Parses and adds a "Dockerfile" workload whose one container is the final
 * stage (image, USER and where it came from, ENV and ARG, EXPOSE,
 * HEALTHCHECK, CMD/ENTRYPOINT); the build is kept in workload->build. */
int hull_dockerfile_load(struct hull_model *m, const char *data, size_t len, const char *name,
                         struct hull_err *err);

/* True when the text looks like a Dockerfile: after directives, comments
 * and blank lines (and ARGs), the first instruction is FROM. */
bool hull_dockerfile_sniff(const char *data, size_t len);

#endif
