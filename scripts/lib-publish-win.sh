# scripts/publish win-x64 (sourced after lib.sh and lib-win.sh):
# dist/paddlenet-win-x64/ = paddlenet.exe (trimmed, self-contained, single file) + paddlenet_native.dll.
# NativeAOT is not an option here: the .NET SDK cannot compile NativeAOT for Windows from Linux.

WIN_DIST="$REPO_ROOT/dist/paddlenet-win-x64"

publish_win_x64() {
  ensure_system_packages
  ensure_win_packages
  local t0=$SECONDS
  build_native_win
  echo "paddlenet: paddlenet_native.dll (win-x64) ready in $((SECONDS - t0)) s" >&2
  local stage="$REPO_ROOT/build/publish-win-x64"
  rm -rf "$stage" "$WIN_DIST"
  # Single file: one exe with the runtime and every managed assembly. TrimMode=partial trims the assemblies that
  # declare themselves trimmable (the .NET and ASP.NET Core framework) and keeps PaddleNet's whole: the serving
  # endpoints serialise their records with System.Text.Json reflection, which full trimming would break (and
  # which trimmed apps switch off unless JsonSerializerIsReflectionEnabledByDefault says otherwise).
  dotnet publish "$REPO_ROOT/src/PaddleNet.Cli" -c Release -r win-x64 --self-contained \
    -p:PublishTrimmed=true -p:TrimMode=partial -p:JsonSerializerIsReflectionEnabledByDefault=true \
    -p:SuppressTrimAnalysisWarnings=true -p:PublishSingleFile=true -p:DebugType=none -p:DebugSymbols=false \
    -o "$stage" -nologo -v quiet >&2
  mkdir -p "$WIN_DIST"
  cp "$stage/PaddleNet.Cli.exe" "$WIN_DIST/paddlenet.exe"
  cp "$REPO_ROOT/build/native-win-x64/paddlenet_native.dll" "$WIN_DIST/"
  # Anything else the publish produced goes along, so nothing is silently dropped, except what a program never
  # loads: the IIS in-process module (aspnetcorev2_inprocess.dll) and the XML API docs of the assemblies.
  find "$stage" -maxdepth 1 -type f ! -name PaddleNet.Cli.exe ! -name aspnetcorev2_inprocess.dll ! -name '*.xml' \
    -exec cp {} "$WIN_DIST/" \;
  echo "paddlenet: $WIN_DIST ($(du -sm "$WIN_DIST" | cut -f1) MB) in $((SECONDS - t0)) s:" >&2
  ls -l "$WIN_DIST" >&2
}
