/* findings_text: terminal-safe text into a capped buffer, for the table and
 * markdown writers.
 *
 * Nothing from a scanned input reaches a terminal or a rendered comment
 * unfiltered: every value goes through util/term.h (controls and
 * bidirectional overrides become '?', invalid UTF-8 U+FFFD). Widths are
 * terminal columns. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/findings_internal.h"
#include "util/term.h"

void hull_tw_put(struct hull_tw *t, const char *s, size_t n)
{
	if (t->rc == 0 && n && hull_buf_append(t->out, s, n, t->err) < 0)
		t->rc = -1;
}

void hull_tw_puts(struct hull_tw *t, const char *s)
{
	hull_tw_put(t, s, strlen(s));
}

void hull_tw_printf(struct hull_tw *t, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	/* Only our own short texts go through here: a cut one is a bug, not
	 * input, but stays memory-safe. */
	if (n > 0)
		hull_tw_put(t, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

void hull_tw_style(struct hull_tw *t, const char *code)
{
	if (t->color)
		hull_tw_puts(t, code);
}

void hull_tw_pad(struct hull_tw *t, size_t n)
{
	static const char spaces[] = "                                        ";
	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		hull_tw_put(t, spaces, k);
		n -= k;
	}
}

size_t hull_tw_text(struct hull_tw *t, const char *s, size_t limit)
{
	size_t w = 0;
	if (t->rc == 0 && hull_term_append_cut(t->out, s, limit, &w, t->err) < 0)
		t->rc = -1;
	return w;
}

void hull_tw_trim(struct hull_tw *t)
{
	if (t->rc || !t->out->data)
		return;
	while (t->out->len && t->out->data[t->out->len - 1] == ' ')
		t->out->len--;
	t->out->data[t->out->len] = '\0';
}

size_t hull_md_text(struct hull_tw *t, const char *s, size_t limit, bool inline_)
{
	if (!s)
		return 0;
	size_t len = strlen(s), i = 0, w = 0;
	bool fits = hull_term_width(s, limit) <= limit;
	size_t room = fits ? limit : (limit ? limit - 1 : 0);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n' || c == '\t' || c == '\r') {
			i++;
			if (c == '\r')
				continue;
			if (w + 1 > room)
				break;
			hull_tw_puts(t, inline_ || c == '\t' ? " " : "\n");
			w++;
			continue;
		}
		char tmp[4];
		size_t nb;
		int cw;
		uint32_t cp;
		const char *b = hull_term_next(s, len, &i, tmp, &nb, &cw, &cp);
		if (w + (size_t)cw > room)
			break;
		if (cp == '&')
			hull_tw_puts(t, "&amp;");
		else if (cp == '@')
			hull_tw_puts(t, "@\xE2\x80\x8B");
		else if (cp < 0x80 &&
		         strchr(inline_ ? "\\`*_[]<>|~" : "\\`*_{}[]()<>#+-.!|~=\"'$:", (int)cp))
			hull_tw_printf(t, "\\%c", (char)cp);
		else
			hull_tw_put(t, b, nb);
		w += (size_t)cw;
	}
	if (!fits && limit) {
		hull_tw_puts(t, "\xE2\x80\xA6");
		w++;
	}
	return w;
}
