// SPDX-License-Identifier: GPL-2.0
/*
 * ctnames.c - a container's name from its runtime's own files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctnames.h"

#define JSON_MAX (4 << 20)

void ctnames_init(struct ct_names *n, const char *root)
{
	memset(n, 0, sizeof(*n));
	snprintf(n->root, sizeof(n->root), "%s", root ? root : "");
}

void ctnames_free(struct ct_names *n)
{
	size_t i;

	for (i = 0; i < n->nk8s; i++)
		free(n->k8s[i]);
	free(n->k8s);
	free(n->storage);
	memset(n, 0, sizeof(*n));
}

/* A regular file's first max bytes, NUL-terminated; NULL if none. */
static char *read_regular(const char *path, size_t max, size_t *len)
{
	struct stat st;
	char *buf;
	size_t n = 0;
	ssize_t r;
	int fd;

	/* O_NONBLOCK: a FIFO planted there must not hang us */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    !(buf = malloc(max + 1))) {
		close(fd);
		return NULL;
	}
	while (n < max) {
		r = read(fd, buf + n, max - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* The JSON string value after key at p (no escapes accepted): its start
 * and length, or NULL. */
static const char *json_value(const char *p, const char *key, size_t *len)
{
	const char *v = strstr(p, key), *e;

	if (!v)
		return NULL;
	v += strlen(key);
	while (*v == ' ' || *v == ':' || *v == '[')
		v++;
	if (*v++ != '"')
		return NULL;
	e = strchr(v, '"');
	if (!e || memchr(v, '\\', (size_t)(e - v)))
		return NULL;
	*len = (size_t)(e - v);
	return v;
}

static int docker_name(struct ct_names *n, struct container *c)
{
	char path[512];
	const char *v;
	size_t len, vlen;
	char *buf;
	int ok = 0;

	snprintf(path, sizeof(path), "%s/var/lib/docker/containers/%s/config.v2.json",
		 n->root, c->id);
	buf = read_regular(path, 1 << 20, &len);
	if (!buf)
		return 0;
	v = json_value(buf, "\"Name\"", &vlen);
	if (v && *v == '/') {
		v++;
		vlen--;
	}
	if (v)
		ok = container_set_name(c, c->runtime, v, vlen);
	free(buf);
	return ok;
}

int ctnames_from_storage(const char *json, struct container *c)
{
	char key[CT_ID_MAX + 16];
	const char *p, *next, *v;
	size_t vlen;

	snprintf(key, sizeof(key), "\"id\":\"%s\"", c->id);
	p = strstr(json, key);
	if (!p)
		return 0;
	/* the names of this entry: before the next entry's "id" */
	next = strstr(p + 1, "\"id\":\"");
	v = json_value(p + strlen(key), "\"names\"", &vlen);
	if (!v || (next && v > next))
		return 0;
	return container_set_name(c, c->runtime, v, vlen);
}

/* containers/storage's list: [{"id":"<id>","names":["web"],...},...] */
static int storage_name(struct ct_names *n, struct container *c)
{
	char path[512];
	size_t len;

	if (!n->storage_read) {
		n->storage_read = 1;
		snprintf(path, sizeof(path), "%s/var/lib/containers/storage/overlay-containers/containers.json",
			 n->root);
		n->storage = read_regular(path, JSON_MAX, &len);
	}
	return n->storage ? ctnames_from_storage(n->storage, c) : 0;
}

static void read_k8s(struct ct_names *n)
{
	char path[512], **k;
	struct dirent *d;
	size_t cap = 0;
	DIR *dir;

	n->k8s_read = 1;
	snprintf(path, sizeof(path), "%s/var/log/containers", n->root);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (strlen(d->d_name) < CT_ID_MAX + 6)
			continue;
		if (n->nk8s == cap) {
			cap = cap ? cap * 2 : 64;
			k = realloc(n->k8s, cap * sizeof(*k));
			if (!k)
				break;
			n->k8s = k;
		}
		n->k8s[n->nk8s] = strdup(d->d_name);
		if (n->k8s[n->nk8s])
			n->nk8s++;
	}
	closedir(dir);
}

int ctnames_from_k8s_log(const char *f, struct container *c)
{
	char name[CT_NAME_MAX + 1];
	const char *u1, *u2, *dash;
	size_t len = strlen(f);

	if (len < CT_ID_MAX + 6)
		return 0;
	dash = f + len - CT_ID_MAX - 5;
	if (*dash != '-' || strncmp(dash + 1, c->id, CT_ID_MAX) ||
	    strcmp(f + len - 4, ".log"))
		return 0;
	u1 = strchr(f, '_');
	u2 = u1 ? strchr(u1 + 1, '_') : NULL;
	if (!u2 || u2 > dash)
		return 0;
	if (snprintf(name, sizeof(name), "%.*s/%.*s/%.*s",
		     (int)(u2 - u1 - 1), u1 + 1, (int)(u1 - f), f,
		     (int)(dash - u2 - 1), u2 + 1) >= (int)sizeof(name))
		return 0;
	return container_set_name(c, c->runtime, name, strlen(name));
}

static int k8s_name(struct ct_names *n, struct container *c)
{
	size_t i;

	if (!n->k8s_read)
		read_k8s(n);
	for (i = 0; i < n->nk8s; i++)
		if (ctnames_from_k8s_log(n->k8s[i], c))
			return 1;
	return 0;
}

int ctnames_fill(struct ct_names *n, struct container *c)
{
	if (!c->runtime || !c->id[0] || c->name[0])
		return 0;
	if ((!strcmp(c->runtime, "docker") || !strcmp(c->runtime, "kubepods")) &&
	    docker_name(n, c))
		return 1;
	if (c->pod[0] && k8s_name(n, c))
		return 1;
	if (!strncmp(c->runtime, "podman", 6) || !strncmp(c->runtime, "crio", 4))
		return storage_name(n, c);
	return 0;
}
