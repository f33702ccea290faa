/* The two ways sshd splits a configuration line: strdelim (the keyword,
 * and the criteria of a Match line) and argv_split (every other keyword's
 * arguments). They disagree on purpose-free details (single quotes, '='),
 * and a scanner that wants sshd's verdict has to disagree the same way. */
#include <stdlib.h>
#include <string.h>

#include "host/sshd_internal.h"

#define BLANKS " \t\r\n"

char *sshd_strdelim(char **s, bool split_equals)
{
	if (!*s)
		return NULL;
	char *old = *s;
	*s = strpbrk(*s, split_equals ? BLANKS "\"=" : BLANKS "\"");
	if (!*s)
		return old;
	if (**s == '"') {
		/* a quote opens where it stands: drop it, end at the next one */
		memmove(*s, *s + 1, strlen(*s));
		if (!(*s = strchr(*s, '"')))
			return NULL; /* never closed: sshd stops reading the line */
		**s = '\0';
		*s += strspn(*s + 1, BLANKS) + 1;
		return old;
	}
	/* one '=' may stand between the token and the next, with blanks */
	bool equals = split_equals && **s == '=';
	**s = '\0';
	*s += strspn(*s + 1, BLANKS) + 1;
	if (split_equals && **s == '=' && !equals)
		*s += strspn(*s + 1, BLANKS) + 1;
	return old;
}

void sshd_free_args(char **argv, size_t argc)
{
	for (size_t i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

/* One token of argv_split starting at s[*i]; false at an open quote. */
static bool one_arg(const char *s, size_t *i, char *arg)
{
	size_t j = 0;
	char quote = 0;
	for (; s[*i]; (*i)++) {
		char c = s[*i], n = s[*i + 1];
		if (c == '\\' && (n == '\'' || n == '"' || n == '\\' || (!quote && n == ' '))) {
			arg[j++] = n; /* a known escape: the next character as is */
			(*i)++;
		} else if (!quote && (c == ' ' || c == '\t')) {
			break;
		} else if (!quote && (c == '"' || c == '\'')) {
			quote = c;
		} else if (quote && c == quote) {
			quote = 0;
		} else {
			arg[j++] = c;
		}
	}
	arg[j] = '\0';
	return !quote;
}

int sshd_split_args(const char *s, char ***argvp, size_t *argcp)
{
	char **argv = NULL;
	size_t argc = 0, slen = strlen(s);
	*argvp = NULL;
	*argcp = 0;
	for (size_t i = 0; s[i];) {
		if (s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		if (s[i] == '#') /* a comment ends the arguments */
			break;
		if (argc >= SSHD_MAX_ARGS)
			break;
		char **nv = realloc(argv, (argc + 2) * sizeof(*nv));
		if (nv)
			argv = nv;
		char *arg = nv ? malloc(slen - i + 1) : NULL;
		if (!arg) {
			sshd_free_args(argv, argc);
			return -2;
		}
		argv[argc++] = arg;
		argv[argc] = NULL;
		if (!one_arg(s, &i, arg)) {
			sshd_free_args(argv, argc);
			return -1;
		}
	}
	*argvp = argv;
	*argcp = argc;
	return 0;
}
