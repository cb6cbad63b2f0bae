# Sourced, after cache.sh: apt for another Debian release (e.g. bullseye),
# on a private state in the cache. The host's sources, lists and dpkg
# status are never touched, and nothing is installed: packages are only
# downloaded, to be unpacked with dpkg-deb -x.
#
#   debian_apt_init bullseye         sources + lists (updated once a day)
#   debian_apt apt-cache depends P   any apt-get/apt-cache command on them
#   debian_apt_dep META PATTERN      the package META depends on, matching
#                                    the sed regex PATTERN (a metapackage's
#                                    current ABI package)
#   debian_apt_unpack DIR PKG...     download PKGs, dpkg-deb -x them into DIR
#
# The archive addresses come from this machine's own apt sources at run time
# (deb822 *.sources, or one-line sources.list): the suites named after this
# release's codename are renamed to the wanted one (bookworm ->
# bullseye, bookworm-updates -> bullseye-updates, bookworm-security ->
# bullseye-security), on the same archives. A backports target
# (trixie-backports) gets that one suite, on the archive of this release's
# main suite: its state holds backports alone, so a metapackage there
# resolves to the backported version (no pinning needed).

# debian_apt_sources TARGET: print one-line sources for TARGET.
debian_apt_sources() {
	_from=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$_from" ] || _from=bookworm
	# A backports suite (trixie-backports) lives on the release's main
	# archive only: no -updates or -security of its own.
	case $1 in *-backports) _bpo=1 ;; *) _bpo= ;; esac
	{
		for _f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$_f" ] || continue
			awk '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && uris != "" && suites != "")
					print (sb == "" ? "-" : sb) "\t" uris "\t" suites "\t" comps
				types = uris = suites = comps = sb = ""
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			/^[ \t]/ { next }	# continuation (an inline key block)
			{
				i = index($0, ":"); if (!i) next
				k = tolower(substr($0, 1, i - 1)); v = substr($0, i + 1)
				gsub(/^[ \t]+|[ \t]+$/, "", v)
				if (k == "types") types = v
				else if (k == "uris") uris = v
				else if (k == "suites") suites = v
				else if (k == "components") comps = v
				else if (k == "signed-by" && v ~ /^\//) sb = v
			}
			END { flush() }' "$_f"
		done
		for _f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
			[ -f "$_f" ] || continue
			awk '
			$1 != "deb" { next }
			{
				sb = "-"; n = 2
				if ($2 ~ /^\[/) {
					for (; n <= NF; n++) {
						if ($n ~ /^\[?signed-by=/) { sb = $n; sub(/^\[?signed-by=/, "", sb); sub(/\]$/, "", sb) }
						if ($n ~ /\]$/) { n++; break }
					}
				}
				comps = ""
				for (i = n + 2; i <= NF; i++) comps = comps (comps == "" ? "" : " ") $i
				print sb "\t" $n "\t" $(n + 1) "\t" comps
			}' "$_f"
		done
	} | awk -F '\t' -v from="$_from" -v to="$1" -v bpo="$_bpo" '
	{
		nu = split($2, U, " "); ns = split($3, S, " "); nc = split($4, C, " ")
		comps = ""
		for (i = 1; i <= nc; i++)
			if (C[i] != "non-free-firmware") comps = comps " " C[i]
		opt = ($1 == "-") ? "" : "[signed-by=" $1 "] "
		for (i = 1; i <= ns; i++) {
			s = S[i]
			if (s == from) t = to
			else if (bpo) continue
			else if (s == from "-updates" || s == from "-security")
				t = to substr(s, length(from) + 1)
			else continue
			for (j = 1; j <= nu; j++) {
				line = "deb " opt U[j] " " t comps
				if (!(line in seen)) { seen[line] = 1; print line }
			}
		}
	}'
}

debian_apt() {
	_cmd=$1
	shift
	# The state lives in the caller's home, which apt's _apt sandbox user
	# cannot enter: run unsandboxed as the caller instead.
	"$_cmd" -q -o Dir::Etc::SourceList="$DAPT/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::Preferences=/dev/null \
		-o Dir::Etc::PreferencesParts=/dev/null \
		-o Dir::State::Lists="$DAPT/lists" \
		-o Dir::State::status="$DAPT/status" \
		-o Dir::Cache="$DAPT/cache" \
		-o Dir::Cache::pkgcache=pkgcache.bin \
		-o Dir::Cache::srcpkgcache=srcpkgcache.bin \
		-o Dir::Cache::Archives="$DAPT/archives" \
		-o APT::Architectures::=amd64 \
		-o APT::Sandbox::User="$(id -un)" \
		"$@"
}

debian_apt_init() {
	DAPT=$NSPID_CACHE/apt/$1
	mkdir -p "$DAPT/lists/partial" "$DAPT/cache" "$DAPT/archives/partial"
	[ -f "$DAPT/status" ] || : >"$DAPT/status"
	debian_apt_sources "$1" >"$DAPT/sources.list.new"
	if [ ! -s "$DAPT/sources.list.new" ]; then
		echo "debian-apt: no Debian archive found in /etc/apt to derive $1 from" >&2
		return 1
	fi
	if ! cmp -s "$DAPT/sources.list.new" "$DAPT/sources.list"; then
		mv "$DAPT/sources.list.new" "$DAPT/sources.list"
		rm -f "$DAPT/updated"
	else
		rm -f "$DAPT/sources.list.new"
	fi
	if [ -z "$(find "$DAPT/updated" -mmin -1440 2>/dev/null)" ]; then
		echo "debian-apt: apt-get update for $1" >&2
		if debian_apt apt-get update >&2; then
			touch "$DAPT/updated"
		elif [ -f "$DAPT/updated" ]; then
			echo "debian-apt: update failed; using the lists from $(date -r "$DAPT/updated" +%F)" >&2
		else
			return 1
		fi
	fi
}

debian_apt_dep() {
	debian_apt apt-cache depends "$1" 2>/dev/null |
		sed -n "s/^ *Depends: \\($2\\)\$/\\1/p" | head -n 1
}

debian_apt_unpack() {
	_dest=$1
	shift
	_tmp=$(mktemp -d)
	if ! (cd "$_tmp" && debian_apt apt-get download "$@" >&2); then
		rm -rf "$_tmp"
		return 1
	fi
	mkdir -p "$_dest"
	for _deb in "$_tmp"/*.deb; do
		dpkg-deb -x "$_deb" "$_dest" || { rm -rf "$_tmp"; return 1; }
	done
	rm -rf "$_tmp"
}
