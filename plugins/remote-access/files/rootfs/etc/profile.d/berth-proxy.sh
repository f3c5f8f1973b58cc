# shellcheck shell=sh
# The proxy of berth.proxy= or [engine] proxy for login shells (remote-access): read as data
# from /run/berth/proxy (URL, then NO_PROXY), which rc.d/64-proxy wrote at boot.
if [ -r /run/berth/proxy ]; then
  {
    IFS= read -r http_proxy
    IFS= read -r no_proxy
  } </run/berth/proxy
  https_proxy=$http_proxy
  HTTP_PROXY=$http_proxy
  HTTPS_PROXY=$http_proxy
  NO_PROXY=$no_proxy
  export http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY
fi
