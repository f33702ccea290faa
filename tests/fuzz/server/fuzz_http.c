/* libFuzzer harness: the HTTP/1.1 request parser, fed whole and in two
 * pieces (as reads split it); slices must stay inside the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(struct hull_str s, const char *buf, size_t len)
{
	if (s.len && (s.ptr < buf || s.ptr + s.len > buf + len))
		abort();
}

static void parse(char *buf, size_t len)
{
	struct hull_http_limits lim = {.max_head = 2048, .max_headers = 16, .max_body = 4096};
	struct hull_http_req req;
	int status;
	bool head;
	for (int rounds = 0; rounds < 8 && len; rounds++) {
		int rc = hull_http_parse(buf, len, &lim, &req, &head, &status, NULL);
		if (rc < 0 && (status < 400 || status > 599))
			abort();
		if (rc != HULL_HTTP_COMPLETE)
			return;
		if (req.consumed == 0 || req.consumed > len || req.body.len > lim.max_body)
			abort();
		inside(req.method, buf, len);
		inside(req.target, buf, len);
		inside(req.body, buf, len);
		for (size_t i = 0; i < req.nheaders; i++) {
			inside(req.headers[i].name, buf, len);
			inside(req.headers[i].value, buf, len);
		}
		memmove(buf, buf + req.consumed, len - req.consumed);
		len -= req.consumed;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	for (size_t cut = size / 2; cut <= size; cut += size - size / 2 ? size - size / 2 : 1) {
		memcpy(buf, data, cut);
		parse(buf, cut);
		if (cut == size)
			break;
	}
	free(buf);
	return 0;
}
