# shellcheck shell=sh
# Interactive shells: a prompt with host and directory. root's ends in "# ", which test
# harnesses on the serial console wait for. The consoles' autologin asks for the banner
# here, so it comes after busybox's greeting, right above the first prompt.
case $- in
  *i*)
    if [ "$(id -u)" -eq 0 ]; then
      PS1='\h:\w# '
    else
      PS1='\h:\w$ '
    fi
    if [ -n "${BERTH_BANNER:-}" ]; then
      unset BERTH_BANNER
      /etc/berth/banner
    fi
    ;;
esac
