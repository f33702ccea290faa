/* ref: image references parsed and normalised as Docker does
 * (github.com/distribution/reference, ParseNormalizedNamed + ParseDockerRef).
 *
 *   debian                      -> docker.io/library/debian:latest
 *   debian:bookworm             -> docker.io/library/debian:bookworm
 *   org/app                     -> docker.io/org/app:latest
 *   index.docker.io/debian      -> docker.io/library/debian:latest
 *   127.0.0.1:5000/ns/app@sha256:<64 hex>
 *   localhost/app, [::1]:5000/app, Registry.Example/app (a domain: it has
 *   '.', ':', is "localhost", or has upper-case letters)
 *
 * Grammar (as distribution/reference's regexp.go):
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [domain "/"] path-component ("/" path-component)*
 *   domain     := host [":" port]; host is DNS labels ([A-Za-z0-9-], not
 *                 starting or ending with '-') joined by '.', or "[ipv6]"
 *   path-comp  := [a-z0-9]+ (sep [a-z0-9]+)*   sep := "." | "_" | "__" | "-"+
 *   tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest     := "sha256:" 64 lower-case hex digits (other algorithms
 *                 are refused: the registry client verifies sha256 only)
 * The name (domain "/" path) is at most 255 bytes; a repository path must
 * be lower case; a bare 64-hex string is refused (an image id, not a name).
 * A reference with both a tag and a digest keeps both; the digest is what
 * is fetched (ParseDockerRef drops the tag, we keep it for messages).
 *
 * Pure functions: no allocation, no I/O, no environment. */
#ifndef HULL_REGISTRY_REF_H
#define HULL_REGISTRY_REF_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define HULL_REF_NAME_MAX   255
#define HULL_REF_TAG_MAX    128
#define HULL_REF_DIGEST_MAX 71 /* "sha256:" + 64 */
#define HULL_REF_STR_MAX    (HULL_REF_NAME_MAX + 1 + HULL_REF_TAG_MAX + 1 + HULL_REF_DIGEST_MAX + 1)

#define HULL_REF_DEFAULT_DOMAIN "docker.io"
#define HULL_REF_DEFAULT_TAG    "latest"

struct hull_ref {
	char domain[HULL_REF_NAME_MAX + 1];   /* "docker.io", "127.0.0.1:5000" */
	char path[HULL_REF_NAME_MAX + 1];     /* "library/debian" */
	char tag[HULL_REF_TAG_MAX + 1];       /* "" when none was given */
	char digest[HULL_REF_DIGEST_MAX + 1]; /* "" when none was given */
};

/* Parses s (NUL-terminated) into *out. HULL_ERR_USAGE, with a message
 * naming s and what is wrong, when s is not a reference. */
int hull_ref_parse(const char *s, struct hull_ref *out, struct hull_err *err);

/* "tag" or "sha256:..." as a registry wants it after /manifests/: the
 * digest when there is one, else the tag, else "latest". Borrowed. */
const char *hull_ref_reference(const struct hull_ref *r);

/* The canonical form "domain/path[:tag][@digest]", with ":latest" added
 * when there is neither tag nor digest. Truncated to n (always
 * NUL-terminated); returns the length it needed. */
size_t hull_ref_format(const struct hull_ref *r, char *out, size_t n);

/* The familiar form as docker prints it: "debian:bookworm",
 * "org/app:latest", "127.0.0.1:5000/app@sha256:..". Same contract. */
size_t hull_ref_familiar(const struct hull_ref *r, char *out, size_t n);

/* Whether the domain is Docker Hub ("docker.io"). */
bool hull_ref_is_docker_hub(const struct hull_ref *r);

#endif
