# shellcheck shell=sh
# Commands from the media, after the system's own (import-docker): hand-written scripts
# first (the data volume's, then those copied from the media's berth/bin/), then the
# wrappers generated for imported images.
PATH="$PATH:/var/lib/berth/bin:/run/berth/bin:/run/berth/wrappers"
export PATH
