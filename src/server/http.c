/* Incremental HTTP/1.1 request parsing (see http.h). */
#include "server/http.h"
#include "util/str.h"

#include <string.h>

static bool is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int fail(int *status, int code, struct hull_err *err, const char *what)
{
	*status = code;
	return hull_err_set(err, HULL_ERR_INPUT, "HTTP request: %s", what);
}

/* The next line of data[*pos..lim): without its "\n" or "\r\n". False
 * when no '\n' occurs before lim. */
static bool next_line(const char *data, size_t lim, size_t *pos, struct hull_str *line)
{
	const char *start = data + *pos;
	const char *nl = memchr(start, '\n', lim - *pos);
	if (!nl)
		return false;
	size_t n = (size_t)(nl - start);
	*pos += n + 1;
	if (n && start[n - 1] == '\r')
		n--;
	*line = hull_str(start, n);
	return true;
}

static struct hull_str trim_ows(struct hull_str s)
{
	while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t'))
		s.ptr++, s.len--;
	while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
		s.len--;
	return s;
}

static int request_line(struct hull_str l, struct hull_http_req *req, int *status,
                        struct hull_err *err)
{
	struct hull_str rest;
	if (!hull_str_split(l, ' ', &req->method, &rest) || !req->method.len)
		return fail(status, 400, err, "malformed request line");
	for (size_t i = 0; i < req->method.len; i++)
		if (!is_tchar((unsigned char)req->method.ptr[i]))
			return fail(status, 400, err, "malformed method");
	struct hull_str version;
	if (!hull_str_split(rest, ' ', &req->target, &version) || !req->target.len)
		return fail(status, 400, err, "malformed request line");
	if (req->target.ptr[0] != '/')
		return fail(status, 400, err, "request target is not an absolute path");
	for (size_t i = 0; i < req->target.len; i++) {
		unsigned char c = (unsigned char)req->target.ptr[i];
		if (c <= 0x20 || c == 0x7f)
			return fail(status, 400, err, "control character in the request target");
	}
	if (version.len != 8 || memcmp(version.ptr, "HTTP/1.", 7) != 0 ||
	    (version.ptr[7] != '0' && version.ptr[7] != '1'))
		return fail(status, 505, err, "unsupported HTTP version");
	req->minor = version.ptr[7] - '0';
	if (!hull_str_split(req->target, '?', &req->path, &req->query))
		req->query = hull_str(NULL, 0);
	return 0;
}

/* Does the comma-separated list in v hold token (case-insensitive)? */
static bool has_token(struct hull_str v, const char *token)
{
	while (v.len) {
		struct hull_str item, rest;
		if (!hull_str_split(v, ',', &item, &rest))
			rest = hull_str(NULL, 0);
		if (hull_str_eq_nocase(trim_ows(item), token))
			return true;
		v = rest;
	}
	return false;
}

struct body_info {
	bool chunked, has_length;
	size_t length;
};

static int header_line(struct hull_str l, struct hull_http_req *req,
                       const struct hull_http_limits *lim, struct body_info *bi, int *status,
                       struct hull_err *err)
{
	if (l.ptr[0] == ' ' || l.ptr[0] == '\t')
		return fail(status, 400, err, "obsolete header line folding");
	long colon = hull_str_index(l, ':');
	if (colon <= 0)
		return fail(status, 400, err, "malformed header line");
	struct hull_str name = hull_str(l.ptr, (size_t)colon);
	for (size_t i = 0; i < name.len; i++)
		if (!is_tchar((unsigned char)name.ptr[i]))
			return fail(status, 400, err, "malformed header name");
	struct hull_str value = trim_ows(hull_str(l.ptr + colon + 1, l.len - (size_t)colon - 1));
	for (size_t i = 0; i < value.len; i++) {
		unsigned char c = (unsigned char)value.ptr[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(status, 400, err, "control character in a header value");
	}
	if (req->nheaders >= lim->max_headers || req->nheaders >= HULL_HTTP_MAX_HEADERS)
		return fail(status, 431, err, "too many header lines");
	req->headers[req->nheaders++] = (struct hull_http_header){name, value};

	if (hull_str_eq_nocase(name, "content-length")) {
		size_t n = 0;
		if (!value.len || value.len > 15)
			return fail(status, 400, err, "invalid Content-Length");
		for (size_t i = 0; i < value.len; i++) {
			if (value.ptr[i] < '0' || value.ptr[i] > '9')
				return fail(status, 400, err, "invalid Content-Length");
			n = n * 10 + (size_t)(value.ptr[i] - '0');
		}
		if (bi->has_length && bi->length != n)
			return fail(status, 400, err, "conflicting Content-Length headers");
		bi->has_length = true;
		bi->length = n;
	} else if (hull_str_eq_nocase(name, "transfer-encoding")) {
		if (!hull_str_eq_nocase(value, "chunked") || bi->chunked)
			return fail(status, 501, err, "unsupported Transfer-Encoding");
		bi->chunked = true;
	} else if (hull_str_eq_nocase(name, "connection")) {
		if (has_token(value, "close"))
			req->keep_alive = false;
		else if (has_token(value, "keep-alive"))
			req->keep_alive = true;
	} else if (hull_str_eq_nocase(name, "expect")) {
		if (!hull_str_eq_nocase(value, "100-continue"))
			return fail(status, 417, err, "unsupported Expect");
		req->expect_continue = true;
	}
	return 0;
}

/* Walks the chunked body at data[start..len). With `decode`, moves the
 * chunk data together at data[start..) (only done once complete).
 * Returns HULL_HTTP_MORE, HULL_HTTP_COMPLETE (with *end and *size) or -1. */
static int chunked(char *data, size_t len, size_t start, const struct hull_http_limits *lim,
                   bool decode, size_t *end, size_t *size, int *status, struct hull_err *err)
{
	size_t pos = start, out = start, total = 0;
	size_t raw_max = lim->max_body + lim->max_body / 8 + 1024;
	for (;;) {
		if (pos - start > raw_max)
			return fail(status, 413, err, "chunked body too large");
		size_t lim_pos = len - pos > 1024 ? pos + 1024 : len;
		struct hull_str line;
		if (!next_line(data, lim_pos, &pos, &line))
			return lim_pos < len ? fail(status, 400, err, "chunk size line too long")
			                     : HULL_HTTP_MORE;
		size_t n = 0, i = 0;
		for (; i < line.len && hull_hex_digit(line.ptr[i]) >= 0; i++) {
			if (i >= 15)
				return fail(status, 413, err, "chunk too large");
			n = n * 16 + (size_t)hull_hex_digit(line.ptr[i]);
		}
		if (!i || (i < line.len && line.ptr[i] != ';' && line.ptr[i] != ' ' &&
		           line.ptr[i] != '\t'))
			return fail(status, 400, err, "malformed chunk size");
		if (n > lim->max_body - total)
			return fail(status, 413, err, "body too large");
		if (n == 0) {
			/* trailers, up to an empty line */
			for (;;) {
				if (pos - start > raw_max)
					return fail(status, 413, err, "chunked body too large");
				lim_pos = len - pos > 8192 ? pos + 8192 : len;
				if (!next_line(data, lim_pos, &pos, &line))
					return lim_pos < len
					           ? fail(status, 400, err, "trailer line too long")
					           : HULL_HTTP_MORE;
				if (!line.len)
					break;
			}
			*end = pos;
			*size = total;
			return HULL_HTTP_COMPLETE;
		}
		if (len - pos < n + 1)
			return HULL_HTTP_MORE;
		if (decode)
			memmove(data + out, data + pos, n);
		out += n;
		total += n;
		pos += n;
		if (data[pos] == '\r') {
			if (len - pos < 2)
				return HULL_HTTP_MORE;
			pos++;
		}
		if (data[pos] != '\n')
			return fail(status, 400, err, "chunk not followed by CRLF");
		pos++;
	}
}

static int parse_head(char *data, size_t len, const struct hull_http_limits *lim,
                      struct hull_http_req *req, struct body_info *bi, size_t *head_end,
                      int *status, struct hull_err *err)
{
	size_t scan = len < lim->max_head ? len : lim->max_head;
	size_t pos = 0;
	struct hull_str line;
	/* RFC 9112 2.2: ignore empty lines before the request line */
	for (;;) {
		if (!next_line(data, scan, &pos, &line))
			return len >= lim->max_head
			           ? fail(status, 431, err, "request head too large")
			           : HULL_HTTP_MORE;
		if (line.len)
			break;
		if (pos > 16)
			return fail(status, 400, err, "empty lines before the request line");
	}
	if (request_line(line, req, status, err) < 0)
		return -1;
	req->keep_alive = req->minor >= 1;
	for (;;) {
		if (!next_line(data, scan, &pos, &line))
			return len >= lim->max_head
			           ? fail(status, 431, err, "request head too large")
			           : HULL_HTTP_MORE;
		if (!line.len)
			break;
		if (header_line(line, req, lim, bi, status, err) < 0)
			return -1;
	}
	if (bi->chunked && bi->has_length)
		return fail(status, 400, err, "both Content-Length and Transfer-Encoding");
	if (bi->has_length && bi->length > lim->max_body)
		return fail(status, 413, err, "body too large");
	*head_end = pos;
	return HULL_HTTP_HEAD_DONE;
}

int hull_http_parse(char *data, size_t len, const struct hull_http_limits *limits,
                    struct hull_http_req *req, bool *head_done, int *status, struct hull_err *err)
{
	struct body_info bi = {0};
	size_t head_end = 0;
	memset(req, 0, offsetof(struct hull_http_req, headers));
	req->nheaders = 0;
	req->keep_alive = false;
	req->expect_continue = false;
	req->body = hull_str(NULL, 0);
	req->consumed = 0;
	if (head_done)
		*head_done = false;
	*status = 0;
	int rc = parse_head(data, len, limits, req, &bi, &head_end, status, err);
	if (rc != HULL_HTTP_HEAD_DONE)
		return rc;
	if (head_done)
		*head_done = true;
	if (bi.chunked) {
		size_t end, size;
		rc = chunked(data, len, head_end, limits, false, &end, &size, status, err);
		if (rc != HULL_HTTP_COMPLETE)
			return rc;
		chunked(data, len, head_end, limits, true, &end, &size, status, err);
		req->body = hull_str(data + head_end, size);
		req->consumed = end;
		return HULL_HTTP_COMPLETE;
	}
	size_t n = bi.has_length ? bi.length : 0;
	if (len - head_end < n)
		return HULL_HTTP_MORE;
	req->body = hull_str(data + head_end, n);
	req->consumed = head_end + n;
	return HULL_HTTP_COMPLETE;
}

struct hull_str hull_http_header(const struct hull_http_req *req, const char *name)
{
	for (size_t i = 0; i < req->nheaders; i++)
		if (hull_str_eq_nocase(req->headers[i].name, name))
			return req->headers[i].value;
	return hull_str(NULL, 0);
}

const char *hull_http_reason(int status)
{
	switch (status) {
	case 100:
		return "Continue";
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 411:
		return "Length Required";
	case 413:
		return "Content Too Large";
	case 415:
		return "Unsupported Media Type";
	case 417:
		return "Expectation Failed";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return "Unknown";
	}
}
