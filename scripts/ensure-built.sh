# Sourced by VitRT's launchers (./vitrt, bench/run, examples/embedded-service/run): builds a module, and the VitRT
# modules it needs, through ./mvnw on first use or when one of their sources or POMs changed; one build at a time.
#
#   vitrt_ensure_built NAME MODULE [MAVEN_ARGS...]
#
# NAME starts every message (vitrt, bench/run, ...); MODULE is the module's folder under the root (cli, bench,
# examples/embedded-service); MAVEN_ARGS are added to the build (e.g. -Ptensorrt). Afterwards MODULE/target/classes
# and MODULE/target/lib hold what `"$vitrt_java" -cp ...` needs. A failed build prints Maven's output and one line,
# and exits 1; Ctrl-C leaves nothing behind (the next run builds again).

vitrt_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vitrt_java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# What a build of MODULE reads: the root POM, and the POM and main sources of MODULE and of every VitRT module it
# names as a dependency, transitively (artifact vitrt-X lives in folder X).
vitrt_build_inputs() {
  local todo=("$1") seen=" " m dep
  echo "$vitrt_root/pom.xml"
  while ((${#todo[@]})); do
    m="${todo[0]}"
    todo=("${todo[@]:1}")
    [[ "$seen" == *" $m "* ]] && continue
    seen+="$m "
    echo "$vitrt_root/$m/pom.xml"
    echo "$vitrt_root/$m/src/main"
    for dep in $(grep -o '<artifactId>vitrt-[a-z-]*</artifactId>' "$vitrt_root/$m/pom.xml" | sed 's|<artifactId>vitrt-||; s|</artifactId>||'); do
      [[ -f "$vitrt_root/$dep/pom.xml" ]] && todo+=("$dep")
    done
  done
}

vitrt_needs_build() {
  local target="$vitrt_root/$1/target" stamp="$vitrt_root/$1/target/.vitrt-built" inputs=() f
  [[ -f "$stamp" && -d "$target/classes" && -d "$target/lib" ]] || return 0
  while IFS= read -r f; do inputs+=("$f"); done < <(vitrt_build_inputs "$1")
  [[ -n "$(find "${inputs[@]}" -newer "$stamp" -print -quit 2>/dev/null)" ]]
}

vitrt_ensure_built() {
  local name="$1" module="$2"
  shift 2
  vitrt_needs_build "$module" || return 0
  if [[ -z "${JAVA_HOME:-}" ]] && ! command -v java >/dev/null; then
    echo "$name: error: Java 17 or newer is needed: put it on the PATH or set JAVA_HOME" >&2
    exit 1
  fi
  exec 9>"$vitrt_root/.vitrt-build.lock"
  if command -v flock >/dev/null; then
    flock 9 # another launcher may be building the same modules: wait for it, then look again
  fi
  if vitrt_needs_build "$module"; then
    echo "$name: building (first use or sources changed; the first build also fetches Maven and the libraries)..." >&2
    local log
    log="$(mktemp "${TMPDIR:-/tmp}/vitrt-build.XXXXXX")"
    trap 'rm -f "$log"; exit 130' INT
    trap 'rm -f "$log"; exit 143' TERM
    if ! (cd "$vitrt_root" && ./mvnw -B -q -Dmaven.test.skip=true "$@" package -pl "$module" -am) >"$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log"
      echo "$name: error: the build failed (Maven's output above)" >&2
      exit 1
    fi
    rm -f "$log"
    trap - INT TERM
    touch "$vitrt_root/$module/target/.vitrt-built"
  fi
  exec 9>&-
}
