/* load: configuration files into the workload model, whatever their kind.
 *
 * The kind of an input is decided by its content, never by its name: a
 * Dockerfile (its first instruction is FROM, after ARGs), or YAML / JSON
 * that is a Compose file (a `services` mapping), Kubernetes objects
 * (`apiVersion` and `kind`, any number of documents, `List`s), an ECS task
 * definition (`containerDefinitions`, or the `taskDefinition` of
 * describe-task-definition), or `docker inspect` / `podman inspect` output
 * (objects with `HostConfig`). Inline `# hull:ignore=ID[,ID] reason`
 * comments are collected from Dockerfiles and YAML.
 *
 * Limits: HULL_LOAD_MAX_BYTES per input; the YAML loader's depth, node and
 * document caps; the model's caps. Hostile YAML (alias bombs, deep nesting,
 * duplicate keys) fails with the loader's message and position. */
#ifndef HULL_MISCONFIG_LOAD_H
#define HULL_MISCONFIG_LOAD_H

#include <stddef.h>

#include "image/image.h"
#include "misconfig/model.h"
#include "util/err.h"

#define HULL_LOAD_MAX_BYTES    (64u << 20)
#define HULL_COMPOSE_MAX_FILES 32

enum hull_config_kind {
	HULL_CONFIG_UNKNOWN = 0,
	HULL_CONFIG_DOCKERFILE,
	HULL_CONFIG_COMPOSE,
	HULL_CONFIG_K8S,
	HULL_CONFIG_ECS,
	HULL_CONFIG_INSPECT,
};

/* "unknown", "dockerfile", "compose", "kubernetes", "ecs", "inspect" */
const char *hull_config_kind_name(enum hull_config_kind k);

/* What data is, by content; HULL_CONFIG_UNKNOWN when nothing matches or
 * it does not parse (the loader then says why). */
enum hull_config_kind hull_config_detect(const char *data, size_t len);

/* Detects and loads data (named `name` in positions and messages). With
 * `expect` not UNKNOWN, data must be of that kind. *kind (may be NULL) gets
 * the kind loaded. For Compose, variables come from `env` (KEY=VALUE lines
 * of a .env file, may be NULL) and the process environment is not read. */
int hull_config_load(struct hull_model *m, const char *data, size_t len, const char *name,
                     enum hull_config_kind expect, const char *env, enum hull_config_kind *kind,
                     struct hull_err *err);

/* Compose files merged in order (docker compose -f a -f b): later files
 * override and extend earlier ones, `extends` is resolved, ${VAR},
 * ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR:+alt} and $$ are
 * interpolated from env. datas[i]/lens[i]/names[i] are the files. */
int hull_compose_load(struct hull_model *m, const char *const *datas, const size_t *lens,
                      const char *const *names, size_t n, const char *env, struct hull_err *err);

/* Adds an "image" workload for an image's config (user, env, exposed
 * ports, healthcheck) under the name `name`. */
int hull_image_config_load(struct hull_model *m, const struct hull_image *img, const char *name,
                           struct hull_err *err);

/* Records the hull:ignore comments of a text file (Dockerfile, YAML). */
void hull_ignores_scan(struct hull_model *m, const char *file, const char *data, size_t len);

#endif
