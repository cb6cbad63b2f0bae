# Sourced by the other scripts: where downloaded and extracted things live.
# Outside the tree, so a fresh clone reuses them and git never sees them.
NSPID_CACHE=${NSPID_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nspid}
mkdir -p "$NSPID_CACHE"
