/* Dockerfile parser: physical lines -> logical instructions (continuations,
 * heredocs) -> words (JSON form, flags, quote removal and expansion). */
#include "misconfig/dockerfile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/str.h"

static const char *const known_cmds[] = {
    "ADD",    "ARG",   "CMD",         "COPY",  "ENTRYPOINT", "ENV",
    "EXPOSE", "FROM",  "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",
    "RUN",    "SHELL", "STOPSIGNAL",  "USER",  "VOLUME",     "WORKDIR",
};

/* Instructions whose arguments go through quote removal and expansion. */
static const char *const expand_cmds[] = {
    "ADD",   "ARG",        "COPY", "ENV",    "EXPOSE",  "FROM",
    "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
};

static bool in_set(const char *s, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, set[i]))
			return true;
	return false;
}
#define IN_SET(s, set) in_set((s), (set), sizeof(set) / sizeof((set)[0]))

#define WORDS_TEXT "4096"

struct src {
	struct hull_str rest;
	unsigned line; /* number of the next line */
};

static bool next_line(struct src *s, struct hull_str *line, unsigned *lineno)
{
	if (!s->rest.len)
		return false;
	*lineno = s->line++;
	return hull_str_next_line(&s->rest, line);
}

static struct hull_str ltrim(struct hull_str s)
{
	while (s.len && (*s.ptr == ' ' || *s.ptr == '\t')) {
		s.ptr++;
		s.len--;
	}
	return s;
}

static struct hull_str rtrim(struct hull_str s)
{
	while (s.len &&
	       (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t' || s.ptr[s.len - 1] == '\r'))
		s.len--;
	return s;
}

static bool is_comment_or_blank(struct hull_str line)
{
	line = ltrim(rtrim(line));
	return !line.len || line.ptr[0] == '#';
}

/* `# name = value` at the top of the file. */
static bool directive(struct hull_str line, struct hull_str *name, struct hull_str *value)
{
	line = rtrim(line);
	if (!line.len || line.ptr[0] != '#')
		return false;
	struct hull_str s = ltrim(hull_str(line.ptr + 1, line.len - 1));
	size_t i = 0;
	while (i < s.len && isalpha((unsigned char)s.ptr[i]))
		i++;
	if (!i)
		return false;
	*name = hull_str(s.ptr, i);
	struct hull_str r = ltrim(hull_str(s.ptr + i, s.len - i));
	if (!r.len || r.ptr[0] != '=')
		return false;
	*value = ltrim(hull_str(r.ptr + 1, r.len - 1));
	return true;
}

/* ---- variable expansion ---------------------------------------------- */

struct var {
	const char *name, *value; /* value NULL: declared without a value */
	bool arg;                 /* ARG (not inherited by child stages) */
};
typedef HULL_LIST(struct var) varlist;

struct dctx {
	struct hull_model *m;
	const char *file;
	char esc;
	varlist global;     /* ARGs before the first FROM (plus the automatic ones) */
	varlist *stage_env; /* per stage: ENV and ARG, in order */
	size_t nstage_env;
	varlist *scope; /* what expansion sees now */
	struct hull_err *err;
	bool failed;
	unsigned line;
};

static const struct var *lookup(const varlist *l, const char *name, size_t n)
{
	for (size_t i = l->n; i-- > 0;)
		if (strlen(l->v[i].name) == n && !strncmp(l->v[i].name, name, n))
			return &l->v[i];
	return NULL;
}

static void setvar(struct dctx *d, varlist *l, const char *name, const char *value, bool arg)
{
	struct var *v = hull_model_push(d->m, l);
	if (!v)
		return;
	v->name = hull_model_strdup(d->m, name);
	v->value = hull_model_strdup(d->m, value);
	v->arg = arg;
}

static int fail(struct dctx *d, enum hull_err_kind kind, const char *what)
{
	if (!d->failed)
		hull_err_set(d->err, kind, "%s: line %u: %s", d->file, d->line, what);
	d->failed = true;
	return -1;
}

struct lex {
	struct dctx *d;
	const char *p, *end;
	struct hull_buf out;
};

static int lex_word(struct lex *lx, bool split, char stop, bool *any);

static bool name_char(char c, bool first)
{
	return c == '_' || isalpha((unsigned char)c) || (!first && isdigit((unsigned char)c));
}

static int put(struct lex *lx, const char *s, size_t n)
{
	if (hull_buf_append(&lx->out, s, n, NULL) < 0)
		return fail(lx->d, HULL_ERR_LIMIT, "a word expands past the size limit");
	return 0;
}

/* ${name...}: the modifier's word is read (and expanded) up to the '}'. */
static int lex_brace(struct lex *lx)
{
	const char *name = lx->p;
	while (lx->p < lx->end && name_char(*lx->p, lx->p == name))
		lx->p++;
	size_t nlen = (size_t)(lx->p - name);
	const struct var *v = nlen ? lookup(lx->d->scope, name, nlen) : NULL;
	const char *val = v ? v->value : NULL;
	bool set = val != NULL, nonempty = val && *val;
	if (lx->p < lx->end && *lx->p == '}') {
		lx->p++;
		return val ? put(lx, val, strlen(val)) : 0;
	}
	bool colon = lx->p < lx->end && *lx->p == ':';
	if (colon)
		lx->p++;
	char op = lx->p < lx->end ? *lx->p++ : 0;
	/* the modifier word, expanded into its own buffer */
	struct hull_buf saved = lx->out;
	hull_buf_init(&lx->out, HULL_DOCKERFILE_MAX_WORD);
	bool any = false;
	int rc = lex_word(lx, false, '}', &any);
	struct hull_buf word = lx->out;
	lx->out = saved;
	if (rc < 0) {
		hull_buf_release(&word);
		return -1;
	}
	if (lx->p < lx->end && *lx->p == '}')
		lx->p++;
	bool cond = colon ? nonempty : set;
	const char *use = NULL;
	size_t ulen = 0;
	switch (op) {
	case '-':
	case '?':
		if (cond) {
			use = val;
			ulen = strlen(val);
		} else if (op == '-') {
			use = word.data;
			ulen = word.len;
		}
		break;
	case '+':
		if (cond) {
			use = word.data;
			ulen = word.len;
		}
		break;
	default: /* #, %, / patterns: keep the plain value */
		if (val) {
			use = val;
			ulen = strlen(val);
		}
		break;
	}
	rc = use ? put(lx, use, ulen) : 0;
	hull_buf_release(&word);
	return rc;
}

static int lex_dollar(struct lex *lx)
{
	lx->p++; /* '$' */
	if (lx->p < lx->end && *lx->p == '{') {
		lx->p++;
		return lex_brace(lx);
	}
	const char *name = lx->p;
	while (lx->p < lx->end && name_char(*lx->p, lx->p == name))
		lx->p++;
	if (lx->p == name)
		return put(lx, "$", 1);
	const struct var *v = lookup(lx->d->scope, name, (size_t)(lx->p - name));
	return v && v->value ? put(lx, v->value, strlen(v->value)) : 0;
}

/* Reads one word (quote removal + expansion) into lx->out. Stops at
 * unquoted whitespace when split, at `stop` when given. */
static int lex_word(struct lex *lx, bool split, char stop, bool *any)
{
	char esc = lx->d->esc;
	while (lx->p < lx->end) {
		char c = *lx->p;
		if (stop && c == stop)
			return 0;
		if (split && (c == ' ' || c == '\t' || c == '\n' || c == '\r'))
			return 0;
		*any = true;
		if (c == esc) {
			if (lx->p + 1 >= lx->end) {
				lx->p++;
				return put(lx, &c, 1);
			}
			lx->p += 2;
			if (put(lx, lx->p - 1, 1) < 0)
				return -1;
		} else if (c == '\'') {
			const char *s = ++lx->p;
			while (lx->p < lx->end && *lx->p != '\'')
				lx->p++;
			if (put(lx, s, (size_t)(lx->p - s)) < 0)
				return -1;
			if (lx->p < lx->end)
				lx->p++;
		} else if (c == '"') {
			lx->p++;
			while (lx->p < lx->end && *lx->p != '"') {
				char q = *lx->p;
				if (q == esc && lx->p + 1 < lx->end &&
				    (lx->p[1] == '"' || lx->p[1] == '$' || lx->p[1] == esc)) {
					if (put(lx, lx->p + 1, 1) < 0)
						return -1;
					lx->p += 2;
				} else if (q == '$') {
					if (lex_dollar(lx) < 0)
						return -1;
				} else {
					if (put(lx, &q, 1) < 0)
						return -1;
					lx->p++;
				}
			}
			if (lx->p < lx->end)
				lx->p++;
		} else if (c == '$') {
			if (lex_dollar(lx) < 0)
				return -1;
		} else {
			if (put(lx, &c, 1) < 0)
				return -1;
			lx->p++;
		}
	}
	return 0;
}

/* Expands s into words (split) or one word, appended to out. */
static int expand(struct dctx *d, struct hull_str s, bool split, hull_strlist *out,
                  struct hull_pos pos)
{
	struct lex lx = {.d = d, .p = s.ptr, .end = s.ptr + s.len};
	hull_buf_init(&lx.out, HULL_DOCKERFILE_MAX_WORD);
	int rc = 0;
	while (lx.p < lx.end) {
		while (split && lx.p < lx.end &&
		       (*lx.p == ' ' || *lx.p == '\t' || *lx.p == '\n' || *lx.p == '\r'))
			lx.p++;
		if (lx.p >= lx.end)
			break;
		bool any = false;
		hull_buf_reset(&lx.out);
		if ((rc = lex_word(&lx, split, 0, &any)) < 0)
			break;
		if (out->n >= HULL_DOCKERFILE_MAX_WORDS) {
			rc = fail(d, HULL_ERR_LIMIT,
			          "more than " WORDS_TEXT " words in one instruction");
			break;
		}
		struct hull_vstr *w = hull_model_push(d->m, out);
		if (!w)
			break;
		w->v = hull_model_strndup(d->m, lx.out.data ? lx.out.data : "", lx.out.len);
		w->pos = pos;
		if (!split)
			break;
	}
	hull_buf_release(&lx.out);
	return rc;
}

/* ---- instructions ---------------------------------------------------- */

/* Whitespace split with quotes kept (RUN, CMD ... keep shell syntax). */
static void raw_words(struct dctx *d, struct hull_str s, hull_strlist *out, struct hull_pos pos)
{
	size_t i = 0;
	while (i < s.len) {
		while (i < s.len && isspace((unsigned char)s.ptr[i]))
			i++;
		size_t st = i;
		while (i < s.len && !isspace((unsigned char)s.ptr[i]))
			i++;
		if (i > st && out->n >= HULL_DOCKERFILE_MAX_WORDS) {
			fail(d, HULL_ERR_LIMIT,
			     "more than " WORDS_TEXT " words in one instruction");
			return;
		}
		if (i > st) {
			struct hull_vstr *w = hull_model_push(d->m, out);
			if (!w)
				return;
			w->v = hull_model_strndup(d->m, s.ptr + st, i - st);
			w->pos = pos;
		}
	}
}

static bool json_form(struct dctx *d, struct hull_str args, struct hull_instr *in)
{
	if (!args.len || args.ptr[0] != '[')
		return false;
	struct json_tokener *tok = json_tokener_new_ex(4);
	if (!tok)
		return false;
	struct json_object *arr = json_tokener_parse_ex(tok, args.ptr, (int)args.len);
	bool ok = arr && json_tokener_get_error(tok) == json_tokener_success &&
	          json_object_is_type(arr, json_type_array) &&
	          json_tokener_get_parse_end(tok) == args.len;
	for (size_t i = 0; ok && i < json_object_array_length(arr); i++)
		ok = json_object_is_type(json_object_array_get_idx(arr, i), json_type_string);
	for (size_t i = 0; ok && i < json_object_array_length(arr); i++) {
		struct hull_vstr *w = hull_model_push(d->m, &in->argv);
		if (!w)
			break;
		w->v = hull_model_strdup(d->m,
		                         json_object_get_string(json_object_array_get_idx(arr, i)));
		w->pos = in->pos;
	}
	json_object_put(arr);
	json_tokener_free(tok);
	return ok;
}

/* Leading --name[=value] options. */
static struct hull_str take_flags(struct dctx *d, struct hull_str args, struct hull_instr *in)
{
	for (;;) {
		args = ltrim(args);
		if (args.len < 3 || args.ptr[0] != '-' || args.ptr[1] != '-')
			return args;
		size_t i = 2;
		while (i < args.len && !isspace((unsigned char)args.ptr[i]))
			i++;
		struct hull_str flag = hull_str(args.ptr + 2, i - 2), k, v;
		bool has_v = hull_str_split(flag, '=', &k, &v);
		struct hull_pair *p = hull_model_push(d->m, &in->flags);
		if (p) {
			p->key = hull_model_strndup(d->m, k.ptr, k.len);
			hull_strlist tmp = {0};
			if (has_v && v.len)
				expand(d, v, false, &tmp, in->pos);
			p->value = tmp.n ? tmp.v[0].v : has_v ? "" : NULL;
			p->pos = in->pos;
		}
		args = hull_str(args.ptr + i, args.len - i);
	}
}

/* Heredoc markers in a RUN/COPY/ADD line: "<<[-]["']NAME["']". */
struct marker {
	char name[128];
	bool strip_tabs;
};

static size_t find_markers(struct hull_str s, struct marker *mk, size_t max)
{
	size_t n = 0;
	char quote = 0;
	for (size_t i = 0; i + 2 < s.len && n < max; i++) {
		char c = s.ptr[i];
		if (quote) {
			if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '"' || c == '\'') {
			quote = c;
			continue;
		}
		if (c != '<' || s.ptr[i + 1] != '<' || (i && s.ptr[i - 1] == '<') ||
		    s.ptr[i + 2] == '<')
			continue;
		size_t j = i + 2;
		bool strip = false;
		if (j < s.len && s.ptr[j] == '-') {
			strip = true;
			j++;
		}
		char q = 0;
		if (j < s.len && (s.ptr[j] == '"' || s.ptr[j] == '\''))
			q = s.ptr[j++];
		size_t st = j;
		while (j < s.len && (isalnum((unsigned char)s.ptr[j]) || s.ptr[j] == '_' ||
		                     s.ptr[j] == '-' || s.ptr[j] == '.'))
			j++;
		if (j == st || j - st >= sizeof(mk[n].name))
			continue;
		if (q && (j >= s.len || s.ptr[j] != q))
			continue;
		memcpy(mk[n].name, s.ptr + st, j - st);
		mk[n].name[j - st] = 0;
		mk[n].strip_tabs = strip;
		n++;
		i = j;
	}
	return n;
}

static int read_heredocs(struct dctx *d, struct src *s, struct hull_instr *in)
{
	struct marker mk[16];
	size_t n = find_markers(hull_str_c(in->args), mk, 16);
	for (size_t k = 0; k < n; k++) {
		struct hull_buf body;
		hull_buf_init(&body, HULL_DOCKERFILE_MAX_LINE);
		struct hull_str line;
		unsigned ln;
		bool closed = false;
		while (next_line(s, &line, &ln)) {
			struct hull_str cmp = line;
			if (mk[k].strip_tabs)
				while (cmp.len && cmp.ptr[0] == '\t') {
					cmp.ptr++;
					cmp.len--;
				}
			if (hull_str_eq_c(rtrim(cmp), mk[k].name)) {
				closed = true;
				break;
			}
			if (hull_buf_append(&body, cmp.ptr, cmp.len, NULL) < 0 ||
			    hull_buf_putc(&body, '\n', NULL) < 0) {
				hull_buf_release(&body);
				return fail(d, HULL_ERR_LIMIT, "heredoc too long");
			}
		}
		if (!closed) {
			hull_buf_release(&body);
			d->line = in->pos.line;
			return fail(d, HULL_ERR_INPUT, "unterminated heredoc");
		}
		struct hull_vstr *h = hull_model_push(d->m, &in->heredocs);
		if (h) {
			h->v = hull_model_strndup(d->m, body.data ? body.data : "", body.len);
			h->pos = in->pos;
		}
		hull_buf_release(&body);
	}
	return 0;
}

/* Reads the logical line that starts with `first` (continuations joined,
 * comment and blank lines inside dropped). */
static int logical_line(struct dctx *d, struct src *s, struct hull_str first, struct hull_buf *out)
{
	struct hull_str line = first;
	for (;;) {
		struct hull_str t = rtrim(line);
		bool cont = t.len && t.ptr[t.len - 1] == d->esc;
		if (cont)
			t.len--;
		if (hull_buf_append(out, t.ptr, t.len, NULL) < 0)
			return fail(d, HULL_ERR_LIMIT, "instruction too long");
		if (!cont)
			return 0;
		unsigned ln;
		do {
			if (!next_line(s, &line, &ln))
				return 0;
		} while (is_comment_or_blank(line));
	}
}

static void stage_from(struct dctx *d, struct hull_build *b, struct hull_instr *in)
{
	struct hull_stage *st = hull_model_push(d->m, &b->stages);
	if (!st)
		return;
	st->pos = in->pos;
	st->first = b->instrs.n - 1;
	st->parent = -1;
	const struct hull_pair *plat = hull_pair_find(&in->flags, "platform");
	st->platform = plat ? plat->value : NULL;
	if (in->argv.n >= 1)
		st->base = in->argv.v[0].v;
	if (in->argv.n >= 3 && !strcasecmp(in->argv.v[1].v, "AS"))
		st->alias = in->argv.v[2].v;
	for (size_t i = 0; st->base && i + 1 < b->stages.n; i++) {
		const struct hull_stage *p = &b->stages.v[i];
		if ((p->alias && !strcasecmp(p->alias, st->base)))
			st->parent = (long)i;
	}
	/* FROM 0 / FROM 1 name earlier stages by index too */
	if (st->parent < 0 && st->base && st->base[0] &&
	    strspn(st->base, "0123456789") == strlen(st->base)) {
		long idx = strtol(st->base, NULL, 10);
		if (idx >= 0 && (size_t)idx + 1 < b->stages.n)
			st->parent = idx;
	}
}

static void new_stage_scope(struct dctx *d, struct hull_build *b)
{
	size_t n = b->stages.n;
	varlist *envs = hull_model_alloc(d->m, n * sizeof(*envs));
	if (!envs)
		return;
	if (d->nstage_env)
		memcpy(envs, d->stage_env, d->nstage_env * sizeof(*envs));
	d->stage_env = envs;
	d->nstage_env = n;
	varlist *cur = &envs[n - 1];
	long parent = b->stages.v[n - 1].parent;
	/* ENV (not ARG) of the parent stage is part of its image */
	if (parent >= 0) {
		const varlist *pe = &envs[parent];
		for (size_t i = 0; i < pe->n; i++)
			if (!pe->v[i].arg)
				setvar(d, cur, pe->v[i].name, pe->v[i].value, false);
	}
	d->scope = cur;
}

static void do_arg(struct dctx *d, struct hull_instr *in, bool global)
{
	hull_strlist words = {0};
	expand(d, hull_str_c(in->args), true, &words, in->pos);
	for (size_t i = 0; i < words.n; i++) {
		const char *w = words.v[i].v;
		const char *eq = w ? strchr(w, '=') : NULL;
		const char *name = eq ? hull_model_strndup(d->m, w, (size_t)(eq - w)) : w;
		const char *val = eq ? eq + 1 : NULL;
		if (!name)
			continue;
		if (!val && !global) {
			const struct var *g = lookup(&d->global, name, strlen(name));
			val = g ? g->value : NULL;
		}
		setvar(d, global ? &d->global : d->scope, name, val, true);
		struct hull_vstr *a = hull_model_push(d->m, &in->argv);
		if (a) {
			a->v = w;
			a->pos = in->pos;
		}
	}
}

/* ENV k=v ... or the legacy ENV k v w. Values use the scope from before. */
static void do_env(struct dctx *d, struct hull_instr *in)
{
	struct hull_str a = ltrim(hull_str_c(in->args));
	size_t i = 0;
	while (i < a.len && !isspace((unsigned char)a.ptr[i]) && a.ptr[i] != '=')
		i++;
	varlist pending = {0};
	if (i < a.len && a.ptr[i] != '=') {
		const char *name = hull_model_strndup(d->m, a.ptr, i);
		hull_strlist v = {0};
		expand(d, ltrim(hull_str(a.ptr + i, a.len - i)), false, &v, in->pos);
		setvar(d, &pending, name ? name : "", v.n ? v.v[0].v : "", false);
	} else {
		hull_strlist words = {0};
		expand(d, a, true, &words, in->pos);
		for (size_t k = 0; k < words.n; k++) {
			const char *w = words.v[k].v;
			const char *eq = w ? strchr(w, '=') : NULL;
			if (!eq)
				continue;
			setvar(d, &pending, hull_model_strndup(d->m, w, (size_t)(eq - w)), eq + 1,
			       false);
		}
	}
	for (size_t k = 0; k < pending.n; k++)
		if (pending.v[k].name)
			setvar(d, d->scope, pending.v[k].name, pending.v[k].value, false);
	in->argv.n = 0;
	for (size_t k = 0; k < pending.n; k++) {
		struct hull_vstr *w = hull_model_push(d->m, &in->argv);
		if (w) {
			w->v = hull_model_printf(d->m, "%s=%s", pending.v[k].name,
			                         pending.v[k].value ? pending.v[k].value : "");
			w->pos = in->pos;
		}
	}
}

static void add_automatic_args(struct dctx *d)
{
	static const char *const autos[][2] = {
	    {"TARGETPLATFORM", "linux/amd64"},
	    {"TARGETOS", "linux"},
	    {"TARGETARCH", "amd64"},
	    {"TARGETVARIANT", ""},
	    {"BUILDPLATFORM", "linux/amd64"},
	    {"BUILDOS", "linux"},
	    {"BUILDARCH", "amd64"},
	    {"BUILDVARIANT", ""},
	};
	for (size_t i = 0; i < sizeof(autos) / sizeof(autos[0]); i++)
		setvar(d, &d->global, autos[i][0], autos[i][1], true);
}

static int instruction(struct dctx *d, struct src *s, struct hull_build *b, struct hull_str line,
                       unsigned ln, unsigned col)
{
	size_t k = 0;
	while (k < line.len && isalpha((unsigned char)line.ptr[k]))
		k++;
	char cmd[16];
	d->line = ln;
	if (!k || k >= sizeof(cmd) ||
	    (k < line.len && !isspace((unsigned char)line.ptr[k]) && line.ptr[k] != d->esc))
		return fail(d, HULL_ERR_INPUT, "not an instruction");
	for (size_t i = 0; i < k; i++)
		cmd[i] = (char)toupper((unsigned char)line.ptr[i]);
	cmd[k] = 0;
	if (!IN_SET(cmd, known_cmds)) {
		char msg[64];
		snprintf(msg, sizeof(msg), "unknown instruction %s", cmd);
		return fail(d, HULL_ERR_INPUT, msg);
	}
	struct hull_buf text;
	hull_buf_init(&text, HULL_DOCKERFILE_MAX_LINE);
	int rc = logical_line(d, s, hull_str(line.ptr + k, line.len - k), &text);
	struct hull_instr *in = rc < 0 ? NULL : hull_model_push(d->m, &b->instrs);
	if (!in) {
		hull_buf_release(&text);
		return rc < 0 ? rc : 0;
	}
	in->pos = (struct hull_pos){d->file, ln, col};
	in->cmd = hull_model_strdup(d->m, cmd);
	struct hull_str args = hull_str_trim(hull_buf_str(&text));
	in->args = hull_model_strndup(d->m, args.ptr, args.len);
	hull_buf_release(&text);
	if (!in->args)
		return 0;
	args = hull_str_c(in->args);

	bool is_from = !strcmp(cmd, "FROM");
	if (!b->stages.n && !is_from && strcmp(cmd, "ARG"))
		return fail(d, HULL_ERR_INPUT, "instruction before the first FROM");
	if (!strcmp(cmd, "RUN") || !strcmp(cmd, "COPY") || !strcmp(cmd, "ADD"))
		if (read_heredocs(d, s, in) < 0)
			return -1;
	if (is_from || !strcmp(cmd, "COPY") || !strcmp(cmd, "ADD") || !strcmp(cmd, "RUN") ||
	    !strcmp(cmd, "HEALTHCHECK"))
		args = take_flags(d, args, in);
	in->args = hull_model_strndup(d->m, args.ptr, args.len);

	if (is_from) {
		varlist *saved = d->scope;
		d->scope = &d->global;
		expand(d, args, true, &in->argv, in->pos);
		d->scope = saved;
		stage_from(d, b, in);
		new_stage_scope(d, b);
	} else if (!b->stages.n) { /* ARG before FROM */
		d->scope = &d->global;
		do_arg(d, in, true);
	} else if (!strcmp(cmd, "ARG")) {
		do_arg(d, in, false);
	} else if (!strcmp(cmd, "ENV")) {
		do_env(d, in);
	} else if (!json_form(d, args, in)) {
		if (IN_SET(cmd, expand_cmds))
			expand(d, args, true, &in->argv, in->pos);
		else if (strcmp(cmd, "RUN")) /* RUN rules read the script text */
			raw_words(d, args, &in->argv, in->pos);
	} else {
		in->json_form = true;
	}
	in->stage = b->stages.n ? b->stages.n - 1 : 0;
	if (b->stages.n)
		b->stages.v[b->stages.n - 1].count =
		    b->instrs.n - b->stages.v[b->stages.n - 1].first;
	return d->failed ? -1 : 0;
}

int hull_dockerfile_parse(struct hull_model *m, const char *data, size_t len, const char *name,
                          struct hull_build **out, struct hull_err *err)
{
	*out = NULL;
	struct dctx d = {.m = m, .file = hull_model_file(m, name), .esc = '\\', .err = err};
	struct hull_build *b = hull_model_alloc(m, sizeof(*b));
	if (!b || !d.file)
		return hull_model_failed(m, err), -1;
	d.scope = &d.global;
	add_automatic_args(&d);
	struct src s = {hull_str(data, len), 1};
	struct hull_str line, dn, dv;
	unsigned ln;
	bool directives = true;
	while (!d.failed && next_line(&s, &line, &ln)) {
		if (directives && directive(line, &dn, &dv)) {
			if (hull_str_eq_nocase(dn, "escape")) {
				dv = rtrim(dv);
				if (dv.len != 1 || (dv.ptr[0] != '\\' && dv.ptr[0] != '`')) {
					d.line = ln;
					return fail(&d, HULL_ERR_INPUT, "invalid escape directive");
				}
				d.esc = dv.ptr[0];
			}
			continue;
		}
		directives = false;
		if (is_comment_or_blank(line))
			continue;
		struct hull_str t = ltrim(line);
		if (instruction(&d, &s, b, t, ln, (unsigned)(t.ptr - line.ptr) + 1) < 0)
			break;
		if (hull_model_failed(m, NULL))
			break;
	}
	if (hull_model_failed(m, err))
		return hull_err_wrap(err, "%s", name);
	if (d.failed)
		return -1;
	if (!b->stages.n)
		return hull_err_set(err, HULL_ERR_INPUT, "%s: no FROM instruction", name);
	b->escape = d.esc == '`' ? "`" : "\\";
	*out = b;
	return 0;
}

bool hull_dockerfile_sniff(const char *data, size_t len)
{
	struct src s = {hull_str(data, len), 1};
	struct hull_str line;
	unsigned ln;
	size_t seen = 0;
	while (next_line(&s, &line, &ln) && seen < 200) {
		if (is_comment_or_blank(line))
			continue;
		seen++;
		struct hull_str t = ltrim(line);
		size_t k = 0;
		while (k < t.len && isalpha((unsigned char)t.ptr[k]))
			k++;
		if (k == t.len || (k < t.len && !isspace((unsigned char)t.ptr[k])))
			return false;
		struct hull_str kw = hull_str(t.ptr, k);
		if (hull_str_eq_nocase(kw, "FROM"))
			return true;
		if (!hull_str_eq_nocase(kw, "ARG"))
			return false;
	}
	return false;
}
