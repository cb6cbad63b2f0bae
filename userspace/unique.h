/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whole-map consistency that no single row can show: an id at most once per
 * namespace, and every namespace at one level. A map that breaks either is
 * ambiguous (a live pass under pid reuse can be), and no answer drawn from
 * it can be trusted.
 */
#ifndef NSPID_UNIQUE_H
#define NSPID_UNIQUE_H

#include "parse.h"

/* 0, or -1 with "line N: why" (or "PID N: why" for a status source). */
int map_check_unique(const struct nspid_map *map, char *err, size_t errlen);

#endif
