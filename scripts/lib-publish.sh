# scripts/publish's per-RID recipes (sourced after lib.sh, not run). Each publish_<rid> function writes
# dist/paddlenet-<rid>/: the NativeAOT `paddlenet` executable and every shared library it needs beyond
# glibc and libstdc++, all with RUNPATH $ORIGIN, so the folder runs wherever it is copied.

# glibc and the C++ runtime: every Linux target has them, so a folder does not carry them (the portable
# Android folder is the exception: it carries these too, with the loader).
PUBLISH_SYSTEM_LIBS_RE='^(ld-linux.*|libc\.so\..*|libm\.so\..*|libdl\.so\..*|libpthread\.so\..*|librt\.so\..*|libutil\.so\..*|libresolv\.so\..*|libstdc\+\+\.so\..*|libgcc_s\.so\..*)$'

ensure_publish_packages() {
  local missing=()
  for p in patchelf binutils; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "paddlenet: installing ${missing[*]}" >&2
    _pn_publish_sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive _pn_publish_sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}
_pn_publish_sudo() { if [ "$(id -u)" -ne 0 ]; then sudo "$@"; else "$@"; fi; }

# publish_aot RID OUT [msbuild args...]: NativeAOT publish of the CLI (Release, trimmed, invariant
# globalization; see PaddleNet.Cli.csproj) into OUT/paddlenet. Any trim/AOT warning fails the build
# (TreatWarningsAsErrors).
publish_aot() {
  local rid="$1" out="$2"; shift 2
  local tmp="$REPO_ROOT/build/publish-$rid"
  rm -rf "$tmp"
  dotnet publish "$REPO_ROOT/src/PaddleNet.Cli" -c Release -r "$rid" -p:PaddleNetAot=true \
    -o "$tmp" -v quiet -nologo "$@" >&2
  mkdir -p "$out"
  cp "$tmp/PaddleNet.Cli" "$out/paddlenet"
}

# copy_needed_libs DEST 'DIR DIR ...' [all]: copies, recursively, the DT_NEEDED libraries of every ELF file
# in DEST found in the given folders (glibc and libstdc++ excluded unless the third argument is "all").
copy_needed_libs() {
  local dest="$1" dirs="$2" all="${3:-}" changed=1
  while ((changed)); do
    changed=0
    for f in "$dest"/*; do
      [ -f "$f" ] && head -c4 "$f" | grep -q $'\x7fELF' || continue
      for lib in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        [ -e "$dest/$lib" ] && continue
        if [ -z "$all" ] && [[ "$lib" =~ $PUBLISH_SYSTEM_LIBS_RE ]]; then continue; fi
        local found=""
        for d in $dirs; do [ -e "$d/$lib" ] && { found="$d/$lib"; break; }; done
        [ -n "$found" ] || { echo "publish: $lib (needed by $(basename "$f")) not found in: $dirs" >&2; return 1; }
        cp -L "$found" "$dest/$lib"
        chmod u+w "$dest/$lib"
        changed=1
      done
    done
  done
}

# Every ELF file in DIR finds its neighbours first.
set_origin_rpath() {
  local dir="$1"
  for f in "$dir"/*; do
    [ -f "$f" ] && head -c4 "$f" | grep -q $'\x7fELF' || continue
    case "$(basename "$f")" in ld-linux*) continue ;; esac
    patchelf --set-rpath '$ORIGIN' "$f"
  done
}

publish_linux_x64() {
  local out="$REPO_ROOT/dist/paddlenet-linux-x64"
  ensure_system_packages
  ensure_publish_packages
  command -v clang >/dev/null || _pn_publish_sudo apt-get install -y -qq --no-install-recommends clang zlib1g-dev >&2
  build_native
  rm -rf "$out"
  publish_aot linux-x64 "$out"
  cp "$REPO_ROOT/build/native/runtimes/linux-x64/native/libpaddlenet_native.so" "$out/"
  # The shim links Debian's shared OpenCV here: carry its whole closure as the host loader resolves it.
  ldd "$out/libpaddlenet_native.so" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' | while read -r name path; do
    [[ "$name" =~ $PUBLISH_SYSTEM_LIBS_RE ]] || cp -L "$path" "$out/$name"
  done
  set_origin_rpath "$out"
  echo "$out"
}

publish_linux_arm64() {
  local out="$REPO_ROOT/dist/paddlenet-linux-arm64"
  ensure_system_packages
  ensure_arm_packages
  ensure_publish_packages
  build_native_arm64
  rm -rf "$out"
  # clang links for aarch64 with lld against the multiarch arm64 libc (sysroot /).
  publish_aot linux-arm64 "$out" -p:SysRoot=/ -p:LinkerFlavor=lld -p:ObjCopyName=aarch64-linux-gnu-objcopy
  cp "$REPO_ROOT/build/native-linux-arm64/libpaddlenet_native.so" "$out/"
  copy_needed_libs "$out" "$(arm64_lib_dirs)"
  set_origin_rpath "$out"
  echo "$out"
}

# The linux-arm64 folder plus glibc, libstdc++, libgcc_s and the loader in lib/, started by a launcher
# script through that loader: it needs nothing from the device (Android has no glibc).
publish_android_arm64() {
  local out="$REPO_ROOT/dist/paddlenet-android-arm64" src="$REPO_ROOT/dist/paddlenet-linux-arm64"
  [ -x "$src/paddlenet" ] || publish_linux_arm64 >/dev/null
  rm -rf "$out" && mkdir -p "$out/lib"
  cp -a "$src"/. "$out/lib/"
  mv "$out/lib/paddlenet" "$out/lib/paddlenet.bin"
  copy_needed_libs "$out/lib" "/usr/lib/aarch64-linux-gnu /lib/aarch64-linux-gnu" all
  cp -L /lib/ld-linux-aarch64.so.1 "$out/lib/ld-linux-aarch64.so.1"
  cp "$REPO_ROOT/scripts/android-launcher.sh" "$out/paddlenet"
  chmod +x "$out/paddlenet" "$out/lib/ld-linux-aarch64.so.1"
  echo "$out"
}
