/* yaml_events: the YAML library choice. Parses every file given (whole
 * event stream, scalars touched) N times with libyaml or libfyaml (chosen at
 * compile time) and prints MB/s. Built and run by bench/yaml.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef USE_FYAML
#include <libfyaml.h>
#else
#include <yaml.h>
#endif

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)n + 1);
	if (fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return p;
}

static size_t events(const char *data, size_t len)
{
	size_t n = 0, sum = 0;
#ifdef USE_FYAML
	struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET};
	struct fy_parser *p = fy_parser_create(&cfg);
	fy_parser_set_string(p, data, len);
	struct fy_event *ev;
	while ((ev = fy_parser_parse(p))) {
		if (ev->type == FYET_SCALAR) {
			size_t l;
			const char *s = fy_token_get_text(ev->scalar.value, &l);
			sum += s ? l : 0;
		}
		n++;
		fy_parser_event_free(p, ev);
	}
	fy_parser_destroy(p);
#else
	yaml_parser_t p;
	yaml_event_t ev;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev))
			break;
		int done = ev.type == YAML_STREAM_END_EVENT;
		if (ev.type == YAML_SCALAR_EVENT)
			sum += ev.data.scalar.length;
		n++;
		yaml_event_delete(&ev);
		if (done)
			break;
	}
	yaml_parser_delete(&p);
#endif
	return n + (sum & 1);
}

int main(int argc, char **argv)
{
	int rounds = atoi(argv[1]);
	size_t total = 0, evs = 0;
	char **data = calloc((size_t)argc, sizeof(*data));
	size_t *lens = calloc((size_t)argc, sizeof(*lens));
	for (int i = 2; i < argc; i++)
		data[i] = slurp(argv[i], &lens[i]);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int r = 0; r < rounds; r++)
		for (int i = 2; i < argc; i++)
			if (data[i]) {
				evs += events(data[i], lens[i]);
				total += lens[i];
			}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("%.1f MB/s, %.0f docs/s (%zu events)\n", (double)total / 1e6 / s,
	       (double)(argc - 2) * rounds / s, evs);
	return 0;
}
