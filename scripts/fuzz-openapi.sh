#!/usr/bin/env bash
# schemathesis against the running local stack (tsx local/testStack.ts: the HTTP front, serverless offline,
# the bundled functions, the emulator, local SQS), checking every answer against schema/openapi.json: status
# codes, content types, headers and bodies as described, and no 5xx beyond the documented ones.
#
#   FUZZ_MAX_EXAMPLES (60)   examples per operation
#   FUZZ_MAX_SECONDS (120)   time budget of the schemathesis run (a safety net: the examples decide its length)
#
# schemathesis is installed, pinned with its dependencies (scripts/schemathesis-requirements.txt), into
# .local/venv-schemathesis (git-ignored). The report (JUnit) goes to .local/schemathesis-junit.xml.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.local/venv-schemathesis
REQUIREMENTS=scripts/schemathesis-requirements.txt
mkdir -p .local
if ! cmp -s "$REQUIREMENTS" "$VENV/.installed" 2>/dev/null; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  cp "$REQUIREMENTS" "$VENV/.installed"
fi

# The stack runs until its stdin closes: feed it from a fifo held open by this script.
FIFO=$(mktemp -u .local/fuzz-stack.XXXXXX)
mkfifo "$FIFO"
STACK_OUT=$(mktemp .local/fuzz-stack-out.XXXXXX)
STACK_ERR=.local/fuzz-stack.log
setsid node node_modules/tsx/dist/cli.mjs local/testStack.ts <"$FIFO" >"$STACK_OUT" 2>"$STACK_ERR" &
STACK_PID=$!
exec 3>"$FIFO"
stop_stack() {
  exec 3>&- || true
  for _ in $(seq 1 50); do kill -0 "$STACK_PID" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$STACK_PID" 2>/dev/null || true
  rm -f "$FIFO" "$STACK_OUT"
}
trap stop_stack EXIT

for _ in $(seq 1 900); do
  if [ -s "$STACK_OUT" ]; then break; fi
  if ! kill -0 "$STACK_PID" 2>/dev/null; then echo "the test stack exited before it was ready:"; cat "$STACK_ERR"; exit 1; fi
  sleep 0.2
done
[ -s "$STACK_OUT" ] || { echo "the test stack was not ready within 180 s:"; cat "$STACK_ERR"; exit 1; }

field() { node -e 'const i = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").split("\n")[0]); console.log(i[process.argv[2]])' "$STACK_OUT" "$1"; }
BASE_URL=$(field eventsUrl | sed 's#/flink/events$##')
export FUZZ_WEBHOOK_SECRET FUZZ_API_KEY
FUZZ_WEBHOOK_SECRET=$(field webhookSecret)
FUZZ_API_KEY=$(field apiKey)

echo "schemathesis against $BASE_URL (schema/openapi.json)"
# Every check runs (schemathesis's default) but those scripts/schemathesis.toml turns off, with the reason there.
# schemathesis keeps what it found in .schemathesis/ and .hypothesis/ (git-ignored): a fresh clone starts clean.
SCHEMATHESIS_HOOKS=scripts.schemathesis_hooks PYTHONPATH=. "$VENV/bin/schemathesis" --config-file scripts/schemathesis.toml run schema/openapi.json \
  --url "$BASE_URL" \
  --phases examples,fuzzing \
  --max-examples "${FUZZ_MAX_EXAMPLES:-60}" \
  --max-time "${FUZZ_MAX_SECONDS:-120}" \
  --workers 1 \
  --request-timeout 30 \
  --seed 15 \
  --report junit --report-dir .local \
  --suppress-health-check all
