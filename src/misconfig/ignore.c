/* Inline ignore comments: libyaml drops comments, so the raw lines are
 * scanned here and mapped to line numbers. A comment
 *     # hull:ignore=HULL-C001,HULL-C013 reason words
 * covers findings on its own line; standing alone on its line it also
 * covers the next line that is neither blank nor a comment. */
#include <ctype.h>
#include <limits.h>
#include <string.h>

#include "misconfig/load.h"
#include "util/str.h"

#define MARK     "hull:ignore="
#define AWAITING UINT_MAX

static bool blank_or_comment(struct hull_str line)
{
	size_t i = 0;
	while (i < line.len && (line.ptr[i] == ' ' || line.ptr[i] == '\t' || line.ptr[i] == '\r'))
		i++;
	return i == line.len || line.ptr[i] == '#';
}

static void parse_ids(struct hull_model *m, struct hull_ignore *ig, const char *s, size_t n,
                      struct hull_pos pos)
{
	size_t i = 0;
	while (i < n) {
		size_t st = i;
		while (i < n && s[i] != ',')
			i++;
		if (i > st) {
			struct hull_vstr *id = hull_model_push(m, &ig->ids);
			if (id) {
				id->v = hull_model_strndup(m, s + st, i - st);
				id->pos = pos;
			}
		}
		i++;
	}
}

/* Finds "#...hull:ignore=" in line; the mark must be inside a comment. */
static const char *find_mark(struct hull_str line, bool *alone)
{
	const char *hash = memchr(line.ptr, '#', line.len);
	if (!hash)
		return NULL;
	size_t rest = line.len - (size_t)(hash - line.ptr);
	const char *mark = memmem(hash, rest, MARK, sizeof(MARK) - 1);
	if (!mark)
		return NULL;
	struct hull_str before = hull_str_trim(hull_str(line.ptr, (size_t)(hash - line.ptr)));
	*alone = before.len == 0;
	return mark;
}

void hull_ignores_scan(struct hull_model *m, const char *file, const char *data, size_t len)
{
	if (!memmem(data, len, MARK, sizeof(MARK) - 1))
		return; /* the common case: one pass, no work */
	struct hull_str rest = hull_str(data, len), line;
	unsigned ln = 0;
	size_t pending = m->ignores.n; /* ignores from here may wait for their line */
	const char *f = hull_model_file(m, file);
	while (hull_str_next_line(&rest, &line)) {
		ln++;
		if (!blank_or_comment(line)) {
			for (size_t i = pending; i < m->ignores.n; i++)
				if (m->ignores.v[i].next_line == AWAITING)
					m->ignores.v[i].next_line = ln;
			pending = m->ignores.n;
		}
		bool alone = false;
		const char *mark = find_mark(line, &alone);
		if (!mark)
			continue;
		const char *p = mark + sizeof(MARK) - 1, *end = line.ptr + line.len;
		const char *ids = p;
		while (p < end && !isspace((unsigned char)*p))
			p++;
		struct hull_ignore *ig = hull_model_push(m, &m->ignores);
		if (!ig)
			return;
		ig->file = f;
		ig->line = ln;
		parse_ids(m, ig, ids, (size_t)(p - ids), (struct hull_pos){f, ln, 1});
		struct hull_str reason = hull_str_trim(hull_str(p, (size_t)(end - p)));
		ig->reason = hull_model_strndup(m, reason.ptr, reason.len);
		if (alone)
			ig->next_line = AWAITING;
	}
	for (size_t i = pending; i < m->ignores.n; i++)
		if (m->ignores.v[i].next_line == AWAITING)
			m->ignores.v[i].next_line = 0;
}
