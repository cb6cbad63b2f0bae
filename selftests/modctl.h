/* SPDX-License-Identifier: GPL-2.0 */
/*
 * modctl.h - load and unload nspid_map from a test, with the
 * init_module/delete_module syscalls (no modprobe, any kernel). The .ko
 * comes from $NSPID_MODULE, which the VM's init exports.
 */
#ifndef NSPID_MODCTL_H
#define NSPID_MODCTL_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "map.h"

#define MOD_NAME	"nspid_map"

static void *mod_image;
static size_t mod_len;

/* The module's bytes, read once. -1 when there is no module to test. */
static int mod_read_image(void)
{
	const char *path = getenv("NSPID_MODULE");
	struct stat st;
	int fd;

	if (mod_image)
		return 0;
	if (!path || !*path)
		return -1;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !st.st_size) {
		close(fd);
		return -1;
	}
	mod_image = malloc(st.st_size);
	if (!mod_image || read(fd, mod_image, st.st_size) != st.st_size) {
		free(mod_image);
		mod_image = NULL;
		close(fd);
		return -1;
	}
	mod_len = st.st_size;
	close(fd);
	return 0;
}

/* 0 or -errno. */
static int mod_load(void)
{
	if (mod_read_image())
		return -ENOENT;
	return syscall(SYS_init_module, mod_image, mod_len, "") ? -errno : 0;
}

/* One try: 0 or -errno. */
static int mod_unload(void)
{
	return syscall(SYS_delete_module, MOD_NAME, O_NONBLOCK) ? -errno : 0;
}

static int is_busy(int err)
{
	return err == -EBUSY || err == -EAGAIN || err == -EWOULDBLOCK;
}

/*
 * Unload, retrying while busy (readers hold the file, on kernels that
 * refuse then). 0, or the last -errno.
 */
static int mod_unload_retry(long max_tries)
{
	long i;
	int r = -EBUSY;

	for (i = 0; i < max_tries && is_busy(r); i++) {
		r = mod_unload();
		if (is_busy(r))
			usleep(i < 100 ? 50 : 1000);
	}
	return r;
}

static int map_exists(void)
{
	return access(MAP_PATH, F_OK) == 0;
}

#endif /* NSPID_MODCTL_H */
