/* ioctl_nspid_map.c: one task's row of /proc/nspid_map, by ioctl.
 *
 *   ioctl_nspid_map PID       the task PID (as the caller sees it)
 *   ioctl_nspid_map PID NR    the task numbered NR in PID's own namespace
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <nspid/nspid_map.h>

static void print_list(const char *name, const __u32 *v, __u32 n)
{
	__u32 i;

	printf(" %s ", name);
	for (i = 0; i < n; i++)
		printf(i ? ":%u" : "%u", v[i]);
}

int main(int argc, char *argv[])
{
	struct nspid_query q;
	unsigned long cmd;
	int fd;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: %s PID [NR]\n", argv[0]);
		exit(EXIT_FAILURE);
	}
	fd = open("/proc/nspid_map", O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		perror("open /proc/nspid_map");
		exit(EXIT_FAILURE);
	}

	memset(&q, 0, sizeof(q));	/* fields we do not use must be 0 */
	q.size = sizeof(q);
	q.pid = strtoul(argv[1], NULL, 10);
	cmd = NSPID_IOC_GET_TASK;
	if (argc == 3) {
		q.nr = strtoul(argv[2], NULL, 10);
		cmd = NSPID_IOC_BY_NSPID;
	}
	if (ioctl(fd, cmd, &q) == -1) {
		if (errno == ENOTTY)
			fprintf(stderr, "no ioctls: an older module; "
				"read /proc/nspid_map instead\n");
		else
			perror("ioctl");
		exit(errno == ESRCH ? 1 : EXIT_FAILURE);
	}
	close(fd);

	printf("pid %u tgid %u ppid %u nspid %u nstgid %u level %u",
	       q.tid, q.tgid, q.ppid, q.nspid, q.nstgid, q.level);
	print_list("chain", q.chain, q.level + 1);
	if (q.mask & NSPID_MASK_NS) {
		printf(" pidns %u", q.pidns);
		print_list("nschain", q.nschain, q.level + 1);
	}
	if (q.mask & NSPID_MASK_COMM)
		printf(" comm %s", (char *)q.comm);
	printf("\n");
	exit(EXIT_SUCCESS);
}
