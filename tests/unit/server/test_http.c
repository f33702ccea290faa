/* The HTTP/1.1 request parser: complete, partial, pipelined, chunked and
 * hostile requests. */
#include <string.h>

#include "server/http.h"
#include "tap.h"

static const struct hull_http_limits lim = {.max_head = 1024, .max_headers = 8, .max_body = 64};

static int parse(const char *in, struct hull_http_req *req, int *status)
{
	static char buf[8192];
	size_t n = strlen(in);
	memcpy(buf, in, n);
	return hull_http_parse(buf, n, &lim, req, NULL, status, NULL);
}

int main(void)
{
	struct hull_http_req r;
	int st;
	TAP_OK(
	    parse("POST /validate?timeout=10s HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
	          &r, &st) == HULL_HTTP_COMPLETE &&
	        hull_str_eq_c(r.method, "POST") && hull_str_eq_c(r.path, "/validate") &&
	        hull_str_eq_c(r.query, "timeout=10s") && hull_str_eq_c(r.body, "{}") &&
	        r.keep_alive && r.minor == 1,
	    "complete POST: method, path, query, body, keep-alive");
	TAP_OK(parse("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", &r, &st) == HULL_HTTP_MORE,
	       "partial body: need more");
	TAP_OK(parse("GET / HTTP/1.1\r\nHost: x\r\n", &r, &st) == HULL_HTTP_MORE, "partial head");
	TAP_OK(parse("GET / HTTP/1.0\r\n\r\n", &r, &st) == HULL_HTTP_COMPLETE && !r.keep_alive,
	       "HTTP/1.0 closes by default");
	TAP_OK(parse("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n", &r, &st) ==
	               HULL_HTTP_COMPLETE &&
	           !r.keep_alive,
	       "Connection: close");
	TAP_OK(parse("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n", &r, &st) ==
	               HULL_HTTP_COMPLETE &&
	           r.consumed == 19 && hull_str_eq_c(r.path, "/a"),
	       "pipelined: the first request and its length");
	TAP_OK(parse("POST / HTTP/1.1\r\nTransfer-Encoding: "
	             "chunked\r\n\r\n2\r\n{}\r\n3;e=1\r\nabc\r\n0\r\n"
	             "Trailer: x\r\n\r\nNEXT",
	             &r, &st) == HULL_HTTP_COMPLETE &&
	           hull_str_eq_c(r.body, "{}abc"),
	       "chunked body decoded in place, trailers dropped");
	TAP_OK(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{", &r, &st) ==
	           HULL_HTTP_MORE,
	       "partial chunk: need more");
	TAP_OK(parse("POST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n", &r, &st) < 0 && st == 413,
	       "body over the limit: 413 before it arrives");
	TAP_OK(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n", &r, &st) < 0 &&
	           st == 413,
	       "chunk over the limit: 413");
	TAP_OK(parse("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
	             &r, &st) < 0 &&
	           st == 400,
	       "Content-Length with Transfer-Encoding: 400 (smuggling)");
	TAP_OK(parse("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", &r, &st) <
	               0 &&
	           st == 400,
	       "conflicting Content-Length: 400");
	TAP_OK(parse("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", &r, &st) < 0 &&
	           st == 501,
	       "other transfer codings: 501");
	TAP_OK(parse("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n", &r, &st) < 0 && st == 400,
	       "obsolete folding: 400");
	TAP_OK(parse("GET / HTTP/2.0\r\n\r\n", &r, &st) < 0 && st == 505, "HTTP/2.0 text: 505");
	TAP_OK(parse("GET http://x/ HTTP/1.1\r\n\r\n", &r, &st) < 0 && st == 400,
	       "absolute form: 400");
	TAP_OK(parse("GET / HTTP/1.1\r\nA : b\r\n\r\n", &r, &st) < 0 && st == 400,
	       "space before the colon: 400");
	TAP_OK(
	    parse("GET / "
	          "HTTP/1.1\r\na:1\r\nb:1\r\nc:1\r\nd:1\r\ne:1\r\nf:1\r\ng:1\r\nh:1\r\ni:1\r\n\r\n",
	          &r, &st) < 0 &&
	        st == 431,
	    "header count over the limit: 431");
	char big[2048];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	TAP_OK(parse(big, &r, &st) < 0 && st == 431, "head over the limit without its end: 431");
	TAP_OK(parse("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n", &r,
	             &st) == HULL_HTTP_MORE &&
	           r.expect_continue,
	       "Expect: 100-continue seen before the body");
	TAP_OK(hull_str_eq_c(hull_http_header(&r, "content-LENGTH"), "4") &&
	           !hull_http_header(&r, "x-none").ptr,
	       "header lookup is case-insensitive");
	return tap_done();
}
