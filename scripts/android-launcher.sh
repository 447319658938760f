#!/system/bin/sh
# paddlenet on Android (or any aarch64 Linux without a usable glibc): the folder carries glibc, libstdc++ and
# the loader in lib/, and this script starts lib/paddlenet.bin through that loader, so nothing on the device
# is used. Run it as `sh paddlenet ARGS` where /system/bin/sh is not the shell (desktop Linux).
# PADDLENET_EMULATOR (tests only) prefixes the command, e.g. "qemu-aarch64 -L /empty/folder".
d=$(cd "$(dirname "$0")" && pwd)
exec $PADDLENET_EMULATOR "$d/lib/ld-linux-aarch64.so.1" --library-path "$d/lib" "$d/lib/paddlenet.bin" "$@"
