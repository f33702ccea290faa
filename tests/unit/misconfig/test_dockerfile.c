/* The Dockerfile parser and front end: continuations, the escape
 * directive, heredocs, JSON and shell forms, flags, ARG/ENV scoping and
 * expansion, multi-stage builds (only the final stage runs, FROM <stage>
 * inherits USER and ENV), positions and errors. */
#include "misconfig/dockerfile.h"

#include "helpers.h"
#include "tap.h"

static struct hull_model *m;

static const struct hull_build *parse(const char *text, struct hull_err *err)
{
	struct hull_build *b = NULL;
	hull_model_free(m);
	m = hull_model_new();
	memset(err, 0, sizeof(*err));
	if (hull_dockerfile_parse(m, text, strlen(text), "Dockerfile", &b, err) < 0)
		return NULL;
	return b;
}

static const struct hull_container *load(const char *text, struct hull_err *err)
{
	hull_model_free(m);
	m = hull_model_new();
	memset(err, 0, sizeof(*err));
	if (hull_dockerfile_load(m, text, strlen(text), "Dockerfile", err) < 0)
		return NULL;
	return &m->workloads.v[0].containers.v[0];
}

static const char *argv_of(const struct hull_instr *in)
{
	static char buf[1024];
	buf[0] = 0;
	for (size_t i = 0; i < in->argv.n; i++) {
		if (i)
			strncat(buf, "|", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, in->argv.v[i].v, sizeof(buf) - strlen(buf) - 1);
	}
	return buf;
}

static const char *env_of(const struct hull_container *c, const char *name)
{
	for (size_t i = c->env.n; i-- > 0;)
		if (!strcmp(c->env.v[i].name.v, name))
			return c->env.v[i].value ? c->env.v[i].value : "(unset)";
	return NULL;
}

static void continuations(void)
{
	struct hull_err err;
	const struct hull_build *b = parse("FROM alpine:3.19\n"
	                                   "RUN apk add \\\n"
	                                   "  # a comment inside\n"
	                                   "\n"
	                                   "    curl \\   \n"
	                                   "    jq\n"
	                                   "USER 1000\n",
	                                   &err);
	TAP_OK(b && b->instrs.n == 3, "continuation with comment, blank line and trailing blanks");
	if (!b)
		return;
	TAP_OK(!strcmp(b->instrs.v[1].args, "apk add     curl     jq"),
	       "continued lines are joined as written: '%s'", b->instrs.v[1].args);
	TAP_OK(b->instrs.v[2].pos.line == 7 && b->instrs.v[1].pos.line == 2,
	       "positions are the instruction lines");
}

static void escape_directive(void)
{
	struct hull_err err;
	const struct hull_build *b = parse("# escape=`\n"
	                                   "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
	                                   "WORKDIR C:\\app\n"
	                                   "RUN echo a `\n"
	                                   "    b\n",
	                                   &err);
	TAP_OK(b && b->instrs.n == 3 && !strcmp(b->escape, "`"), "escape=` directive");
	if (b) {
		TAP_OK(!strcmp(b->instrs.v[2].args, "echo a     b"), "backtick continuation: '%s'",
		       b->instrs.v[2].args);
		TAP_OK(!strcmp(b->instrs.v[1].argv.v[0].v, "C:\\app"),
		       "backslash is literal with escape=`: '%s'", b->instrs.v[1].argv.v[0].v);
	}
	b = parse("FROM alpine:3\n# escape=`\nRUN echo a \\\n  b\n", &err);
	TAP_OK(b && !strcmp(b->escape, "\\") && b->instrs.n == 2,
	       "a directive after an instruction is a comment");
	b = parse("# escape=x\nFROM alpine\n", &err);
	TAP_OK(!b && strstr(err.msg, "escape"), "invalid escape directive: %s", err.msg);
	b = parse("# syntax=docker/dockerfile:1\n# check=skip=all\nFROM alpine:3\n", &err);
	TAP_OK(b && b->instrs.n == 1, "syntax and check directives");
}

static void heredocs(void)
{
	struct hull_err err;
	const struct hull_build *b = parse("FROM debian:12\n"
	                                   "RUN <<EOF\n"
	                                   "apt-get update\n"
	                                   "apt-get install -y curl\n"
	                                   "EOF\n"
	                                   "COPY <<-\"CONF\" /etc/app.conf\n"
	                                   "\t\tkey=$value\n"
	                                   "\tCONF\n"
	                                   "RUN <<A <<'B' cat\n"
	                                   "one\n"
	                                   "A\n"
	                                   "two\n"
	                                   "B\n"
	                                   "USER app\n",
	                                   &err);
	TAP_OK(b && b->instrs.n == 5, "heredocs (%s)", err.msg);
	if (!b)
		return;
	TAP_OK(b->instrs.v[1].heredocs.n == 1 &&
	           !strcmp(b->instrs.v[1].heredocs.v[0].v,
	                   "apt-get update\napt-get install -y curl\n"),
	       "RUN <<EOF body");
	TAP_OK(b->instrs.v[2].heredocs.n == 1 &&
	           !strcmp(b->instrs.v[2].heredocs.v[0].v, "key=$value\n"),
	       "<<-\"CONF\" strips tabs and keeps $ literal");
	TAP_OK(b->instrs.v[3].heredocs.n == 2 && !strcmp(b->instrs.v[3].heredocs.v[1].v, "two\n"),
	       "two heredocs on one line");
	TAP_OK(b->instrs.v[4].pos.line == 14, "the line after heredocs is numbered right");
	b = parse("FROM a\nRUN echo \"<<NOT\"\n", &err);
	TAP_OK(b && b->instrs.v[1].heredocs.n == 0, "<< inside quotes is not a heredoc");
}

static void forms_and_flags(void)
{
	struct hull_err err;
	const struct hull_build *b = parse("ARG BASE=golang:1.22\n"
	                                   "FROM --platform=$BUILDPLATFORM ${BASE} AS build\n"
	                                   "COPY --from=deps --chown=1000:1000 [\"a b\", \"c/\"]\n"
	                                   "CMD [\"/app\", \"--port\", \"8080\"]\n"
	                                   "ENTRYPOINT [\"broken\"\n"
	                                   "COPY \"my file\" 'x y' /dst/\n",
	                                   &err);
	TAP_OK(b && b->instrs.n == 6, "parses (%s)", err.msg);
	if (!b)
		return;
	const struct hull_instr *from = &b->instrs.v[1];
	TAP_OK(!strcmp(b->stages.v[0].base, "golang:1.22") &&
	           !strcmp(b->stages.v[0].alias, "build"),
	       "FROM sees the global ARG: %s AS %s", b->stages.v[0].base, b->stages.v[0].alias);
	TAP_OK(!strcmp(b->stages.v[0].platform, "linux/amd64"), "automatic BUILDPLATFORM: %s",
	       b->stages.v[0].platform);
	TAP_OK(hull_pair_find(&from->flags, "platform") != NULL, "FROM --platform flag");
	const struct hull_instr *copy = &b->instrs.v[2];
	TAP_OK(copy->json_form && copy->argv.n == 2 && !strcmp(copy->argv.v[0].v, "a b") &&
	           !strcmp(hull_pair_find(&copy->flags, "from")->value, "deps") &&
	           !strcmp(hull_pair_find(&copy->flags, "chown")->value, "1000:1000"),
	       "COPY flags then JSON form: %s", argv_of(copy));
	TAP_OK(b->instrs.v[3].json_form && b->instrs.v[3].argv.n == 3, "CMD exec form");
	TAP_OK(!b->instrs.v[4].json_form, "malformed JSON falls back to the shell form");
	TAP_OK(!strcmp(argv_of(&b->instrs.v[5]), "my file|x y|/dst/"), "quotes removed: %s",
	       argv_of(&b->instrs.v[5]));
}

static void expansion(void)
{
	struct hull_err err;
	const struct hull_container *c =
	    load("ARG VERSION=3.19\n"
	         "ARG SECRET_TOKEN\n"
	         "FROM alpine:${VERSION}\n"
	         "ARG VERSION\n"
	         "ENV A=1 B=\"two words\" C=${VERSION}\n"
	         "ENV D=${UNSET:-fallback} E=${A:+alt} F=${UNSET:+alt} G=$A-$B\n"
	         "ENV A=2 H=$A\n"
	         "ENV LEGACY value with spaces\n"
	         "ENV ESC=\\$HOME\n"
	         "USER ${VERSION}\n",
	         &err);
	TAP_OK(c != NULL, "loads (%s)", err.msg);
	if (!c)
		return;
	TAP_OK(!strcmp(c->image.v, "alpine:3.19"), "FROM expanded: %s", c->image.v);
	TAP_OK(!strcmp(env_of(c, "C"), "3.19"), "a stage's ARG takes the global default: %s",
	       env_of(c, "C"));
	TAP_OK(!strcmp(env_of(c, "B"), "two words"), "quoted value");
	TAP_OK(!strcmp(env_of(c, "D"), "fallback") && !strcmp(env_of(c, "E"), "alt") &&
	           !strcmp(env_of(c, "F"), "") && !strcmp(env_of(c, "G"), "1-two words"),
	       "modifiers: D=%s E=%s F=%s G=%s", env_of(c, "D"), env_of(c, "E"), env_of(c, "F"),
	       env_of(c, "G"));
	TAP_OK(!strcmp(env_of(c, "H"), "1"), "one ENV sees the values from before it: H=%s",
	       env_of(c, "H"));
	TAP_OK(!strcmp(env_of(c, "LEGACY"), "value with spaces"), "legacy ENV form: %s",
	       env_of(c, "LEGACY"));
	TAP_OK(!strcmp(env_of(c, "ESC"), "$HOME"), "escaped $: %s", env_of(c, "ESC"));
	TAP_OK(!env_of(c, "SECRET_TOKEN"), "a global ARG is not in the stage unless declared");
	TAP_OK(c->user.spec.v && !strcmp(c->user.spec.v, "3.19") && !c->user.uid_known,
	       "USER expanded: %s", c->user.spec.v);
}

static void stages(void)
{
	struct hull_err err;
	const struct hull_container *c = load("FROM golang:1.22 AS build\n"
	                                      "USER builder\n"
	                                      "ENV GOFLAGS=-trimpath\n"
	                                      "FROM debian:12-slim AS base\n"
	                                      "USER 10001:10001\n"
	                                      "ENV APP=1\n"
	                                      "EXPOSE 8080/tcp 9000-9002/udp\n"
	                                      "FROM base\n"
	                                      "COPY --from=build /out /app\n"
	                                      "HEALTHCHECK NONE\n",
	                                      &err);
	TAP_OK(c != NULL, "multi-stage loads (%s)", err.msg);
	if (!c)
		return;
	const struct hull_build *b = m->workloads.v[0].build;
	TAP_OK(b->stages.n == 3 && b->stages.v[2].parent == 1 && b->stages.v[1].parent == -1,
	       "FROM base names stage 1");
	TAP_OK(!strcmp(c->image.v, "debian:12-slim"), "the final stage runs debian: %s",
	       c->image.v);
	TAP_OK(c->user.uid_known && c->user.uid == 10001 && c->user.group.v == 10001 &&
	           c->user.spec.pos.line == 5 && !strcmp(c->user.origin, "USER instruction"),
	       "USER inherited from the parent stage, with its line");
	TAP_OK(env_of(c, "APP") && !env_of(c, "GOFLAGS"), "ENV of the parent, not of other stages");
	TAP_OK(c->ports.n == 2 && c->ports.v[1].container_port == 9000 &&
	           c->ports.v[1].container_port_end == 9002 &&
	           !strcmp(c->ports.v[1].protocol, "udp"),
	       "EXPOSE ranges and protocols");
	TAP_OK(c->healthcheck.set && c->healthcheck.disabled, "HEALTHCHECK NONE disables");
	c = load("FROM alpine:3 AS a\nUSER nobody\nFROM alpine:3\nRUN id\n", &err);
	TAP_OK(c && !c->user.spec.v, "USER of an unrelated earlier stage does not count");
	c = load("FROM alpine:3\nUSER 1000\nFROM 0\n", &err);
	TAP_OK(c && c->user.uid == 1000, "FROM <index> names an earlier stage");
}

static void errors(void)
{
	struct hull_err err;
	TAP_OK(!parse("FROM a\nFROBNICATE x\n", &err) && strstr(err.msg, "line 2") &&
	           strstr(err.msg, "unknown instruction FROBNICATE"),
	       "unknown instruction: %s", err.msg);
	TAP_OK(!parse("RUN x\nFROM a\n", &err) && strstr(err.msg, "before the first FROM"),
	       "instruction before FROM: %s", err.msg);
	TAP_OK(!parse("# only a comment\n", &err) && strstr(err.msg, "no FROM"), "no FROM: %s",
	       err.msg);
	TAP_OK(parse("ARG A=1\n\n  from  alpine\n  run  echo\n", &err) != NULL,
	       "keywords are case-insensitive and may be indented");
	TAP_OK(hull_dockerfile_sniff("# c\nARG X\nFROM a\n", 16) &&
	           !hull_dockerfile_sniff("apiVersion: v1\n", 15) &&
	           !hull_dockerfile_sniff("FROM: x\n", 8),
	       "sniffing");
}

static void official(void)
{
	static const char *const files[] = {"nginx-mainline-debian.Dockerfile",
	                                    "nginx-mainline-alpine-slim.Dockerfile",
	                                    "postgres-17-bookworm.Dockerfile"};
	for (size_t i = 0; i < 3; i++) {
		char rel[256];
		snprintf(rel, sizeof(rel), "misconfig/official-dockerfiles/%s", files[i]);
		const char *path = tap_shared(rel);
		if (!path) {
			printf("# %s not found\n", rel);
			continue;
		}
		struct hull_findings f = {0};
		struct hull_err err = {0};
		TAP_OK(scan_path(path, HULL_CONFIG_UNKNOWN, HULL_PROFILE_ALL, &f, &err) == 0 &&
		           count_id(&f, "HULL-C008") == 1,
		       "%s parses and runs as root (no USER): %s", files[i], ids_of(&f));
		hull_findings_release(&f);
	}
}

int main(void)
{
	continuations();
	escape_directive();
	heredocs();
	forms_and_flags();
	expansion();
	stages();
	errors();
	official();
	hull_model_free(m);
	return tap_done();
}
