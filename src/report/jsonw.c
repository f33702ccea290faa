#include "report/jsonw.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

void hull_jw_init(struct hull_jw *w, struct hull_buf *out, struct hull_err *err)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->err = err;
}

void hull_jw_init_compact(struct hull_jw *w, struct hull_buf *out, struct hull_err *err)
{
	hull_jw_init(w, out, err);
	w->compact = true;
}

static void put(struct hull_jw *w, const char *s, size_t n)
{
	if (w->rc == 0 && hull_buf_append(w->out, s, n, w->err) < 0)
		w->rc = -1;
}

static void misuse(struct hull_jw *w, const char *what)
{
	if (w->rc == 0)
		w->rc = hull_err_set(w->err, HULL_ERR_INPUT, "json writer: %s", what);
}

static void newline_indent(struct hull_jw *w, unsigned depth)
{
	static const char spaces[] = "                                ";
	if (w->compact)
		return;
	put(w, "\n", 1);
	for (unsigned i = 0; i < depth; i++)
		put(w, spaces, 2);
}

/* Everything that precedes a value: a comma and indentation inside an
 * array, nothing after a key. */
static bool before_value(struct hull_jw *w)
{
	if (w->rc)
		return false;
	if (w->done) {
		misuse(w, "a second top-level value");
		return false;
	}
	if (w->depth == 0)
		return true;
	if (w->in_object[w->depth]) {
		if (!w->after_key) {
			misuse(w, "a value inside an object without a key");
			return false;
		}
		w->after_key = false;
		return true;
	}
	if (w->has_items[w->depth])
		put(w, ",", 1);
	w->has_items[w->depth] = true;
	newline_indent(w, w->depth);
	return true;
}

static void after_value(struct hull_jw *w)
{
	if (w->depth == 0)
		w->done = true;
}

static void jw_open(struct hull_jw *w, bool object)
{
	if (!before_value(w))
		return;
	if (w->depth == HULL_JW_MAX_DEPTH) {
		misuse(w, "nesting too deep");
		return;
	}
	put(w, object ? "{" : "[", 1);
	w->depth++;
	w->in_object[w->depth] = object;
	w->has_items[w->depth] = false;
}

static void jw_close(struct hull_jw *w, bool object)
{
	if (w->rc)
		return;
	if (w->depth == 0 || w->in_object[w->depth] != object || w->after_key) {
		misuse(w, "unbalanced container");
		return;
	}
	if (w->has_items[w->depth])
		newline_indent(w, w->depth - 1);
	put(w, object ? "}" : "]", 1);
	w->depth--;
	after_value(w);
}

void hull_jw_obj_begin(struct hull_jw *w)
{
	jw_open(w, true);
}

void hull_jw_obj_end(struct hull_jw *w)
{
	jw_close(w, true);
}

void hull_jw_arr_begin(struct hull_jw *w)
{
	jw_open(w, false);
}

void hull_jw_arr_end(struct hull_jw *w)
{
	jw_close(w, false);
}

void hull_jw_key(struct hull_jw *w, const char *key)
{
	if (w->rc)
		return;
	if (w->depth == 0 || !w->in_object[w->depth] || w->after_key) {
		misuse(w, "a key outside an object");
		return;
	}
	if (w->has_items[w->depth])
		put(w, ",", 1);
	w->has_items[w->depth] = true;
	newline_indent(w, w->depth);
	if (w->rc == 0 && hull_json_quote(w->out, key, strlen(key), w->err) < 0)
		w->rc = -1;
	put(w, ": ", w->compact ? 1 : 2);
	w->after_key = true;
}

void hull_jw_strn(struct hull_jw *w, const char *s, size_t len)
{
	if (!before_value(w))
		return;
	if (hull_json_quote(w->out, s, len, w->err) < 0)
		w->rc = -1;
	after_value(w);
}

void hull_jw_str(struct hull_jw *w, const char *s)
{
	if (!s)
		hull_jw_null(w);
	else
		hull_jw_strn(w, s, strlen(s));
}

void hull_jw_int(struct hull_jw *w, int64_t v)
{
	if (!before_value(w))
		return;
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%" PRId64, v);
	put(w, tmp, (size_t)n);
	after_value(w);
}

void hull_jw_num(struct hull_jw *w, double v)
{
	if (!isfinite(v)) {
		hull_jw_null(w);
		return;
	}
	if (!before_value(w))
		return;
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%.10g", v);
	put(w, tmp, (size_t)n);
	after_value(w);
}

void hull_jw_bool(struct hull_jw *w, bool v)
{
	if (!before_value(w))
		return;
	put(w, v ? "true" : "false", v ? 4 : 5);
	after_value(w);
}

void hull_jw_null(struct hull_jw *w)
{
	if (!before_value(w))
		return;
	put(w, "null", 4);
	after_value(w);
}

void hull_jw_kstr(struct hull_jw *w, const char *key, const char *s)
{
	hull_jw_key(w, key);
	hull_jw_str(w, s);
}

void hull_jw_kstr_opt(struct hull_jw *w, const char *key, const char *s)
{
	if (s)
		hull_jw_kstr(w, key, s);
}

void hull_jw_kint(struct hull_jw *w, const char *key, int64_t v)
{
	hull_jw_key(w, key);
	hull_jw_int(w, v);
}

int hull_jw_finish(struct hull_jw *w)
{
	if (w->rc == 0 && (!w->done || w->depth != 0))
		misuse(w, "document left incomplete");
	if (!w->compact)
		put(w, "\n", 1);
	return w->rc;
}

static int put_escape(struct hull_buf *out, uint32_t cp, struct hull_err *err)
{
	char tmp[8];
	const char *s;
	switch (cp) {
	case '"':
		s = "\\\"";
		break;
	case '\\':
		s = "\\\\";
		break;
	case '\b':
		s = "\\b";
		break;
	case '\f':
		s = "\\f";
		break;
	case '\n':
		s = "\\n";
		break;
	case '\r':
		s = "\\r";
		break;
	case '\t':
		s = "\\t";
		break;
	default:
		snprintf(tmp, sizeof(tmp), "\\u%04x", (unsigned)cp);
		s = tmp;
	}
	return hull_buf_append_str(out, s, err);
}

static bool needs_escape(uint32_t cp)
{
	/* U+2028/2029 are legal in JSON but end a line in JavaScript. */
	return cp < 0x20 || cp == '"' || cp == '\\' || cp == 0x7F || cp == 0x2028 || cp == 0x2029;
}

int hull_json_quote(struct hull_buf *out, const char *s, size_t len, struct hull_err *err)
{
	/* Worst case is 6 bytes per input byte; reserving the plain length
	 * first keeps the common case to one allocation. */
	if (hull_buf_reserve(out, len + 2, err) < 0)
		return -1;
	if (hull_buf_putc(out, '"', err) < 0)
		return -1;
	/* printable ASCII but the quote and the backslash: copied as it is */
	static const bool plain[256] = {
	    [0x20 ... 0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7e] = 1};
	size_t i = 0, run = 0; /* run: bytes copied through unchanged */
	while (i < len) {
		size_t start = i;
		while (i < len && plain[(unsigned char)s[i]])
			i++;
		run += i - start;
		if (i == len)
			break;
		uint32_t cp;
		bool valid;
		size_t n = hull_utf8_next(s + i, len - i, &cp, &valid);
		if (valid && !needs_escape(cp)) {
			i += n;
			run += n;
			continue;
		}
		if (run && hull_buf_append(out, s + i - run, run, err) < 0)
			return -1;
		run = 0;
		int rc =
		    valid ? put_escape(out, cp, err) : hull_buf_append(out, "\xEF\xBF\xBD", 3, err);
		if (rc < 0)
			return -1;
		i += n;
	}
	if (run && hull_buf_append(out, s + i - run, run, err) < 0)
		return -1;
	return hull_buf_putc(out, '"', err);
}
