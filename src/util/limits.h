/* limits: the limits that every reader of nested input shares, defined
 * once so that JSON, YAML and the parsers built on them refuse the same
 * documents with the same message shape. */
#ifndef HULL_UTIL_LIMITS_H
#define HULL_UTIL_LIMITS_H

/* Nesting levels of a JSON or YAML document (arrays and objects, sequences
 * and mappings), and of the structures read from them (CycloneDX
 * components, SPDX licence expressions). One more is an error:
 * "<input>: line L, column C: nested deeper than 64 levels"
 * (HULL_ERR_INPUT for JSON like any malformed JSON, so hull serve answers
 * 400; HULL_ERR_LIMIT for YAML). */
#define HULL_MAX_DEPTH 64

#endif
