/* A small POSIX-shell reader for RUN instructions: enough to find the
 * simple commands a script runs (apt-get, sudo, curl ...) and their
 * arguments, through quotes, line continuations, && || ; | &, subshells,
 * $( ) and backticks, `if/then/do` keywords, leading VAR=value
 * assignments, and `sh -c '...'` (read recursively). It does not run or
 * expand anything: words keep $VAR as written. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "misconfig/rules_internal.h"

#define SHELL_MAX_SCRIPT (1u << 20)
#define SHELL_MAX_DEPTH  4

static const char *const keywords[] = {"if",    "then", "else", "elif", "fi", "do", "done", "while",
                                       "until", "for",  "!",    "time", "{",  "}",  "case", "esac"};

struct walker {
	hull_shell_fn fn;
	void *ctx;
	bool stopped;
};

struct reader {
	const char *p, *end;
	char *out; /* scratch: words are copied here, NUL-terminated */
	size_t olen, ocap;
};

static bool is_keyword(const char *w)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (!strcmp(w, keywords[i]))
			return true;
	return false;
}

static bool is_assignment(const char *w)
{
	if (!isalpha((unsigned char)*w) && *w != '_')
		return false;
	while (isalnum((unsigned char)*w) || *w == '_')
		w++;
	return *w == '=';
}

static void walk_script(struct walker *wk, const char *script, size_t len, int depth);

static void emit(struct walker *wk, struct hull_shell_cmd *cmd, int depth)
{
	size_t skip = 0;
	while (skip < cmd->n && (is_keyword(cmd->words[skip]) || is_assignment(cmd->words[skip])))
		skip++;
	if (skip == cmd->n || wk->stopped)
		return;
	struct hull_shell_cmd c = {.n = cmd->n - skip, .piped_from = cmd->piped_from};
	memcpy(c.words, cmd->words + skip, c.n * sizeof(c.words[0]));
	/* sh -c 'script' runs a script of its own */
	const char *base = strrchr(c.words[0], '/');
	base = base ? base + 1 : c.words[0];
	if (c.n >= 3 &&
	    (!strcmp(base, "sh") || !strcmp(base, "bash") || !strcmp(base, "ash") ||
	     !strcmp(base, "dash") || !strcmp(base, "zsh")) &&
	    !strcmp(c.words[1], "-c") && depth < SHELL_MAX_DEPTH) {
		walk_script(wk, c.words[2], strlen(c.words[2]), depth + 1);
		return;
	}
	if (!wk->fn(&c, wk->ctx))
		wk->stopped = true;
}

static void out_c(struct reader *r, char c)
{
	if (r->olen < r->ocap)
		r->out[r->olen++] = c;
}

/* Reads one word; returns false at an operator or the end (with *op set). */
static bool read_word(struct reader *r, const char **word, char *op)
{
	*op = 0;
	/* blanks and line continuations */
	for (;;) {
		while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\r'))
			r->p++;
		if (r->p + 1 < r->end && r->p[0] == '\\' && r->p[1] == '\n')
			r->p += 2;
		else
			break;
	}
	if (r->p >= r->end) {
		*op = ';';
		return false;
	}
	char c = *r->p;
	if (c == '#') { /* comment to the end of the line */
		while (r->p < r->end && *r->p != '\n')
			r->p++;
		*op = ';';
		return false;
	}
	if (strchr(";&|\n()`", c)) {
		r->p++;
		bool dbl = (c == '&' || c == '|') && r->p < r->end && *r->p == c;
		if (dbl)
			r->p++;
		*op = c == '|' && !dbl ? '|' : ';';
		return false;
	}
	if (c == '$' && r->p + 1 < r->end && r->p[1] == '(') {
		r->p += 2;
		*op = ';';
		return false;
	}
	size_t start = r->olen;
	while (r->p < r->end) {
		c = *r->p;
		if (c == ' ' || c == '\t' || c == '\r' || strchr(";&|\n()`", c))
			break;
		if (c == '$' && r->p + 1 < r->end && r->p[1] == '(')
			break;
		r->p++;
		if (c == '\\' && r->p < r->end) {
			if (*r->p != '\n')
				out_c(r, *r->p);
			r->p++;
		} else if (c == '\'') {
			while (r->p < r->end && *r->p != '\'')
				out_c(r, *r->p++);
			if (r->p < r->end)
				r->p++;
		} else if (c == '"') {
			while (r->p < r->end && *r->p != '"') {
				if (*r->p == '\\' && r->p + 1 < r->end &&
				    strchr("\"\\$`\n", r->p[1])) {
					r->p++;
					if (*r->p != '\n')
						out_c(r, *r->p);
					r->p++;
				} else {
					out_c(r, *r->p++);
				}
			}
			if (r->p < r->end)
				r->p++;
		} else {
			out_c(r, c);
		}
	}
	out_c(r, 0);
	if (r->olen > r->ocap - 1) /* scratch full: the word is cut */
		r->out[r->ocap - 1] = 0;
	*word = r->out + start;
	return true;
}

static void walk_script(struct walker *wk, const char *script, size_t len, int depth)
{
	if (len > SHELL_MAX_SCRIPT)
		len = SHELL_MAX_SCRIPT;
	struct reader r = {.p = script, .end = script + len, .ocap = len * 2 + 16};
	r.out = malloc(r.ocap);
	if (!r.out)
		return;
	struct hull_shell_cmd cmd = {0};
	while (!wk->stopped) {
		const char *w;
		char op;
		if (read_word(&r, &w, &op)) {
			if (cmd.n < HULL_SHELL_MAX_WORDS)
				cmd.words[cmd.n++] = w;
			continue;
		}
		bool at_end = r.p >= r.end;
		if (cmd.n)
			emit(wk, &cmd, depth);
		cmd.n = 0;
		cmd.piped_from = op == '|';
		if (at_end)
			break;
	}
	free(r.out);
}

bool hull_shell_walk(const char *script, hull_shell_fn fn, void *ctx)
{
	struct walker wk = {fn, ctx, false};
	if (script)
		walk_script(&wk, script, strlen(script), 0);
	return !wk.stopped;
}

static void append(char **s, size_t *len, size_t *cap, const char *p, size_t n)
{
	if (!*s)
		return;
	if (*len + n + 1 > *cap) {
		size_t ncap = (*len + n + 1) * 2;
		char *ns = realloc(*s, ncap);
		if (!ns) {
			free(*s);
			*s = NULL;
			return;
		}
		*s = ns;
		*cap = ncap;
	}
	memcpy(*s + *len, p, n);
	*len += n;
	(*s)[*len] = 0;
}

char *hull_run_script(const struct hull_instr *in)
{
	size_t len = 0, cap = 64;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	s[0] = 0;
	const char *args = in->args ? in->args : "";
	while (*args == ' ' || *args == '\t')
		args++;
	if (in->json_form) {
		for (size_t i = 0; i < in->argv.n; i++) {
			const char *w = in->argv.v[i].v ? in->argv.v[i].v : "";
			append(&s, &len, &cap, i ? " '" : "'", i ? 2 : 1);
			for (; *w; w++) {
				if (*w == '\'')
					append(&s, &len, &cap, "'\\''", 4);
				else
					append(&s, &len, &cap, w, 1);
			}
			append(&s, &len, &cap, "'", 1);
		}
	} else if (in->heredocs.n && !strncmp(args, "<<", 2)) {
		/* RUN <<EOF: the heredoc is the script */
		for (size_t i = 0; i < in->heredocs.n; i++) {
			const char *b = in->heredocs.v[i].v ? in->heredocs.v[i].v : "";
			append(&s, &len, &cap, b, strlen(b));
			append(&s, &len, &cap, "\n", 1);
		}
	} else {
		append(&s, &len, &cap, args, strlen(args));
	}
	return s;
}
