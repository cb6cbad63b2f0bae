#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run by the VM's init for `make demo` (selftests/vm/demo.sh), with the
# module loaded: a container scene, and the map seen from both sides.
have_nspid=
[ -x /bin/nspid ] && have_nspid=1

host='
echo
echo "### On the host: cat /proc/nspid_map"
echo "### (the container init is host pid $CONTAINER_PID)"
cat /proc/nspid_map
'
[ -n "$have_nspid" ] && host="$host"'
echo
echo "### On the host: nspid $CONTAINER_PID  (its pid inside the container)"
nspid $CONTAINER_PID
echo
echo "### On the host: nspid --ns-of $CONTAINER_PID  (the container'"'"'s ps)"
nspid --ns-of $CONTAINER_PID
echo
echo "### On the host: nspid --container web -o INPID,PID,CONTAINER,COMMAND"
nspid --container web -o INPID,PID,CONTAINER,COMMAND
echo
echo "### On the host: nspid --tree  (namespaces and their containers)"
nspid --tree
'
inside='
echo
echo "### Inside the container (its own /proc): cat /proc/nspid_map"
cat /proc/nspid_map
'
[ -n "$have_nspid" ] && inside="$inside"'
echo
echo "### Inside the container: nspid -L"
nspid -L
'
[ -z "$have_nspid" ] && inside="$inside"'
echo
echo "### (no nspid reader in this VM: userspace/nspid-static was not built)"
'
exec nspid-scene "$host" "$inside"
