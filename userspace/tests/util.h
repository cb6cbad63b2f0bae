/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the unit tests: load a map from tests/maps/. */
#ifndef NSPID_TEST_UTIL_H
#define NSPID_TEST_UTIL_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../parse.h"

static const char *t_mapdir = "tests/maps";

/* Parse tests/maps/NAME into map; returns parse_fd's result. */
static inline int load_map(const char *name, struct nspid_map *map, char *err)
{
	char path[512];
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", t_mapdir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(err, NSPID_ERR_MAX, "cannot open %.200s", path);
		return -1;
	}
	map_init(map);
	rc = parse_fd(fd, map, err, NSPID_ERR_MAX);
	close(fd);
	return rc;
}

#endif
