/* source: where an image command finds TARGET, the same for every command
 * that takes an image (hull image, hull sbom).
 *
 *   an existing path (or PATH:TAG)     a file or directory (image/image.h)
 *   docker-archive:PATH[:TAG]          that file, which must be a docker-archive
 *   oci:PATH[:TAG], oci-archive:PATH[:TAG]   an OCI layout / OCI archive
 *   docker://REF                       the Docker engine (--engine, $DOCKER_HOST,
 *                                      /var/run/docker.sock)
 *   podman://REF                       podman's service (--engine, $CONTAINER_HOST,
 *                                      /run/podman/podman.sock,
 *                                      $XDG_RUNTIME_DIR/podman/podman.sock)
 *   registry://REF                     the registry (src/registry)
 *   REF                                --source order, default engine,registry:
 *                                      a local engine when one answers and
 *                                      has the image, else the registry
 *
 * REF is an image reference (registry/ref.h). Only this file reads the
 * environment for image sources: DOCKER_HOST, CONTAINER_HOST,
 * XDG_RUNTIME_DIR, DOCKER_CONFIG, HOME, TMPDIR. */
#ifndef HULL_CLI_SOURCE_H
#define HULL_CLI_SOURCE_H

#include <stdbool.h>

#include "image/image.h"
#include "util/sandbox.h"
#include "util/diag.h"
#include "util/err.h"

#define HULL_CLI_MAX_INSECURE 16
#define HULL_CLI_MAX_MIRRORS  8
/* An engine's export is spooled to an unlinked private temp file (the
 * docker-archive reader needs random access: manifest.json comes last). */
#define HULL_CLI_ENGINE_MAX_EXPORT (64ull << 30)

struct hull_cli_source_opts {
	const char *sources; /* --source: "engine,registry" */
	const char *engine;  /* --engine URL */
	const char *username;
	bool password_stdin;
	const char *registry_ca;
	const char *insecure[HULL_CLI_MAX_INSECURE];
	size_t ninsecure;
	const char *mirrors[HULL_CLI_MAX_MIRRORS]; /* --registry-mirror [REGISTRY=]HOST */
	size_t nmirrors;
	bool quiet;
	/* Set by hull_cli_source_password: the --password-stdin password,
	 * read once for every image of the run (caller frees with
	 * hull_cli_source_release). */
	char *password;
	/* Only local sources (hull scan --offline): files and the engine,
	 * never the registry. */
	bool offline;
	/* target is an image reference taken from an input file (a manifest's
	 * image:, a Dockerfile's FROM): never a path, never a prefix, so a
	 * manifest cannot make hull open a local file. */
	bool refs_only;
	/* The sandbox the command enters for a local target (cli.h), for the
	 * others: entered here once the network allows. An engine's image is
	 * spooled to a private file first, then read with no socket at all; a
	 * registry's is entered after the manifest request (authentication,
	 * credential helpers) with allow_net (its layers are still to come),
	 * the CA file and the Docker config readable. NULL: none. */
	struct hull_sandbox *sandbox;
	const char *cmd; /* for hull_cli_confine's messages */
};

/* --password-stdin for a command that opens several images: reads standard
 * input once into src->password. Nothing to do without --password-stdin. */
int hull_cli_source_password(struct hull_cli_source_opts *src, struct hull_err *err);
/* Wipes and frees src->password. */
void hull_cli_source_release(struct hull_cli_source_opts *src);

/* Opens target as above. The image's name is the reference as given
 * (normalised) when the source has none. */
int hull_cli_open_image(const char *target, const struct hull_image_opts *opts,
                        const struct hull_cli_source_opts *src, struct hull_image **out,
                        struct hull_diag *diag, struct hull_err *err);

/* At most this many names from an engine's image list. */
#define HULL_CLI_ENGINE_MAX_TAGS 4096u

/* The image names (RepoTags, as the engine writes them: podman's
 * "localhost/NAME" for an image tagged with a short name) the local engine
 * holds: GET /images/json on the engine hull_cli_open_image would ask (an
 * engine in --source, --engine, $DOCKER_HOST, the known sockets). Only
 * names an engine may be asked for (hull_engine_name_ok), "<none>" left
 * out, at most HULL_CLI_ENGINE_MAX_TAGS. *out (caller frees each and the
 * array) and *n; 0 with *n = 0 when there is no engine to ask; -1 (err set)
 * when one is there and its answer is not a list. Never a registry. */
int hull_cli_engine_tags(const struct hull_cli_source_opts *src, char ***out, size_t *n,
                         struct hull_err *err);

#endif
