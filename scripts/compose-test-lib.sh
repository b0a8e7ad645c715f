# The stack and the checks of scripts/compose-test (sourced by it; uses its
# podman, compose, say, fail, now, since, $work, $project, $root). Nothing
# here names a service except where the check is about that service
# (routing killed, Kannel isolated from the broker, casectl's petition):
# the containers, their health checks, users, volumes and TLS ports are
# read from the running stack and its configs, so a service added to
# docker-compose.yml is checked without a change here.

# Running containers of the stack (ids), the casectl client excluded.
containers() {
  podman ps -q --filter "label=com.docker.compose.project=$project" \
    --filter status=running
}
name_of() { podman inspect --format '{{index .Config.Labels "com.docker.compose.service"}}' "$1"; }
container_of() {  # the running container of compose service $1
  podman ps -q --filter "label=com.docker.compose.project=$project" \
    --filter "label=com.docker.compose.service=$1" --filter status=running | head -1
}
has_health() { [ -n "$(podman inspect --format '{{if .Config.Healthcheck}}{{.Config.Healthcheck.Test}}{{end}}' "$1")" ]; }
health_of() { podman inspect --format '{{.State.Health.Status}}' "$1"; }

# The services of the active profiles that have a health check (from
# `docker-compose config`, so a new service is expected without a change).
expected_healthy() {
  compose config | python3 -c '
import os, sys, yaml
active = set(filter(None, os.environ.get("COMPOSE_PROFILES", "").split(",")))
for name, s in sorted(yaml.safe_load(sys.stdin)["services"].items()):
    if s.get("profiles") and not active & set(s["profiles"]):
        continue
    if s.get("healthcheck") and not s["healthcheck"].get("disable"):
        print(name)'
}

# The secrets dir and .env of this run: make-certs' certificates, intake's
# key ring, notification's and web's secrets, owned by the services' uid.
make_secrets() {
  local s="$work/secrets"
  deploy/tls/make-certs --ca-dir "$work/ca" --out "$s" --office-dir "$work/offices" \
    --office 140000:bureau --office 140431:bureau >"$work/make-certs.log" 2>&1 ||
    { cat "$work/make-certs.log" >&2; fail "make-certs"; }
  deploy/bin/make-pii-keys new "$s/intake-pii.keys" >/dev/null
  (umask 077
   for f in notification-dlr notification-phone-code web-session; do
     openssl rand -hex 32 >"$s/$f.secret"
   done)
  cp "$s/offices-ca.crt" "$work/offices/ca.crt"
  chown -R 10001:10001 "$s" "$work/offices"
  local pw
  pw() { openssl rand -hex 16; }
  {
    echo "COMPOSE_PROFILES=embedded,demo"
    echo "KANNEL_CONFIG=kannel-demo.conf"
    echo "KAFKA_CLUSTER_ID=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d =)"
    echo "PROVINCE_CODE=140000"
    echo "CASERELAY_LOOKUP_SECRET=$(openssl rand -hex 32)"
    echo "SECRETS_DIR=$s"
    for u in ADMIN INTAKE ROUTING SUPERVISION NOTIFICATION; do echo "KAFKA_${u}_PASSWORD=$(pw)"; done
    echo "CASERELAY_KANNEL_FROM=10690000"
    echo "CASERELAY_KANNEL_USERNAME=caserelay"
    echo "CASERELAY_KANNEL_PASSWORD=$(pw)"
    echo "KANNEL_ADMIN_PASSWORD=$(pw)"
    # Loopback only: the test's traffic stays on this machine.
    echo "PUBLISH_ADDRESS=127.0.0.1"
    echo "INTAKE_PUBLISH_ADDRESS=127.0.0.1"
    echo "ADMIN_PUBLISH_ADDRESS=127.0.0.1"
  } >"$work/env"
  chmod 600 "$work/env"
  export COMPOSE_PROFILES=embedded,demo
}

# Podman runs health checks from systemd timers; without systemd (this
# machine) nothing runs them, so this loop does what the timers would:
# every container's check, every HEALTH_TICK seconds (its `retries` and
# `start_period` apply as usual).
start_health_ticker() {
  (
    while :; do
      for c in $(containers); do
        has_health "$c" && podman healthcheck run "$c" >/dev/null 2>&1 &
      done
      wait
      sleep "${HEALTH_TICK:-3}"
    done
  ) &
  ticker_pid=$!
}

health_summary() {
  local c out=""
  for c in $(containers); do
    has_health "$c" && out="$out $(name_of "$c")=$(health_of "$c")"
  done
  echo "${out# }"
}

# Waits up to $1 s for every expected service to run and be healthy.
wait_all_healthy() {
  local deadline=$(( $(date +%s) + $1 )) want got svc c ok
  want="$(expected_healthy)"
  while [ "$(date +%s)" -lt "$deadline" ]; do
    ok=1
    for svc in $want; do
      c="$(container_of "$svc")"
      if [ -z "$c" ] || [ "$(health_of "$c")" != healthy ]; then ok=0; break; fi
    done
    [ "$ok" -eq 1 ] && return 0
    sleep 1
  done
  echo "compose-test: health: $(health_summary)" >&2
  return 1
}

# 1. Every container runs as a user other than root and writes its named
# volumes.
check_users() {
  local c name uid dest out=""
  for c in $(containers); do
    name="$(name_of "$c")"
    uid="$(podman exec "$c" id -u)" || { fail "$name: cannot run id"; continue; }
    [ "$uid" != 0 ] || fail "$name runs as root"
    out="$out $name=uid$uid"
    for dest in $(podman inspect --format '{{range .Mounts}}{{if eq .Type "volume"}}{{.Destination}} {{end}}{{end}}' "$c"); do
      if podman exec "$c" sh -c "touch '$dest/.compose-test' && rm -f '$dest/.compose-test'"; then
        out="$out(writes $dest)"
      else
        fail "$name (uid $uid) cannot write its volume $dest"
      fi
    done
  done
  say "users:$out"
}

# 2. TLS where the compose configs say so: each service whose config names
# a server certificate (tls.cert_path for gRPC, web.tls_cert for HTTPS)
# answers on its published port with a certificate make-certs' CA signed
# for the service's name.
check_tls() {
  local c name conf port key listen published checked=""
  for c in $(containers); do
    name="$(name_of "$c")"
    conf="$(podman inspect --format '{{join .Config.Cmd " "}}' "$c" | sed -n 's/.*--config \([^ ]*\).*/\1/p')"
    [ -n "$conf" ] || continue
    for key in tls.cert_path:grpc.listen web.tls_cert:web.listen; do
      podman exec "$c" grep -q "^${key%%:*} *=" "$conf" || continue
      listen="$(podman exec "$c" sed -n "s/^${key#*:} *= *//p" "$conf")"
      port="${listen##*:}"
      published="$(podman port "$c" "$port/tcp" | head -1)"
      [ -n "$published" ] || { fail "$name: TLS port $port not published"; continue; }
      # As an office (mTLS: the gRPC ports want a client certificate).
      openssl s_client -connect "$published" -servername "$name" \
        -verify_hostname "$name" -verify_return_error \
        -CAfile "$work/secrets/offices-ca.crt" -cert "$work/offices/140431-bureau.crt" \
        -key "$work/offices/140431-bureau.key" </dev/null >"$work/tls-$name-$port.log" 2>&1 || true
      if grep -q 'Verify return code: 0 (ok)' "$work/tls-$name-$port.log"; then
        checked="$checked $name:$port"
      else
        fail "$name: no verified TLS on $port ($published): $(grep -m1 -i 'verify\|error' "$work/tls-$name-$port.log")"
      fi
    done
  done
  say "tls: verified against make-certs' CA:$checked"
}

# 3. Kannel's own networks (issue 22 item 7): no Kannel container reaches
# the broker, by name or by address; notification, on the bus, does.
check_kannel_isolated() {
  local broker ip c name
  broker="$(container_of devbroker)"
  ip="$(podman inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$broker" | awk '{print $1}')"
  reach() {  # reach CONTAINER HOST: a TCP connection to HOST:9092 within 5 s
    podman exec "$1" timeout 5 bash -c "exec 3<>/dev/tcp/$2/9092" >/dev/null 2>&1
  }
  reach "$(container_of notification)" devbroker ||
    fail "notification cannot reach devbroker:9092 (the control)"
  for c in $(containers); do
    name="$(name_of "$c")"
    podman inspect --format '{{.Config.Image}}' "$c" | grep -q kannel || continue
    ! reach "$c" devbroker || fail "$name reaches devbroker:9092 by name"
    ! reach "$c" "$ip" || fail "$name reaches the broker at $ip:9092"
    checked="${checked:-} $name"
  done
  say "networks: notification reaches devbroker:9092; not reached from Kannel's:$checked (by name or $ip)"
}

# casectl in a container of the stack's front network, as the office
# 140431:bureau (mTLS with make-certs' certificate).
start_client() {
  local image
  image="$(podman inspect --format '{{.Config.Image}}' "$(container_of intake)")"
  podman run -d --name "$project-client" \
    --label "com.docker.compose.project=$project" --label "com.docker.compose.service=client" \
    --network "${project}_front" --read-only --cap-drop ALL \
    -v "$work/offices:/certs:ro" \
    --entrypoint sleep "$image" infinity >/dev/null || fail "casectl client container"
}
casectl() {
  podman exec "$project-client" casectl --intake intake:50051 --routing routing:50052 \
    --supervision supervision:50053 --notification notification:50054 \
    --tls-ca /certs/ca.crt --tls-cert /certs/140431-bureau.crt \
    --tls-key /certs/140431-bureau.key "$@"
}
# A made-up petitioner (no real person); N makes the phone differ.
submit() {
  casectl --json submit --name 测试人 --address 沁源县沁河镇测试路1号 \
    --phone "1380000$(printf %04d "$1")" --region 140431100 --category labour \
    --class claim --channel online --text '容器测试：拖欠工资' --request-id "ct-$1-$$" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["caseNumber"])'
}
json_field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
fakesmsc_count() { podman logs "$(container_of fakesmsc)" 2>&1 | grep -c 'Got message' || true; }
# Waits up to $2 s for `casectl ...` ($3...) piped through json_field $1
# to print something other than "" / False.
wait_for() {
  local expr="$1" secs="$2" deadline out
  shift 2
  deadline=$(( $(date +%s) + secs ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    out="$(casectl --json "$@" 2>"$work/casectl.err" | json_field "$expr" 2>/dev/null || true)"
    [ -n "$out" ] && [ "$out" != False ] && { echo "$out"; return 0; }
    sleep 0.2
  done
  echo "compose-test: casectl $*: $(head -c 300 "$work/casectl.err")" >&2
  return 1
}
routed='d.get("view", {}).get("state", "") not in ("", "CASE_STATE_RECEIVED")'
delivered='any(p.get("state")=="SMS_PART_STATE_DELIVERED" for m in d.get("messages",[]) for p in m.get("partStates",[]))'

# 4. One petition end to end, each step timed from the submission.
check_one_petition() {
  local t0 sms0 case state
  sms0="$(fakesmsc_count)"
  t0=$(now)
  case="$(submit 1)" || { fail "casectl submit"; return; }
  say "petition: submitted $case through intake in $(since "$t0") s"
  state="$(wait_for "d['view']['state'] + ' at ' + d['view']['officeCode'] if $routed else ''" 60 show "$case")" ||
    { fail "$case not routed within 60 s"; return; }
  say "petition: routing registered and routed it ($state) at $(since "$t0") s"
  local deadline=$(( $(date +%s) + 60 ))
  while [ "$(fakesmsc_count)" -le "$sms0" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
  [ "$(fakesmsc_count)" -gt "$sms0" ] || { fail "no SMS reached the fake SMSC within 60 s"; return; }
  say "petition: the receipt SMS reached the fake SMSC at $(since "$t0") s"
  wait_for "$delivered" 60 sms "$case" >/dev/null ||
    { fail "no delivery report came back for $case within 60 s"; return; }
  say "petition: its delivery report came back to notification at $(since "$t0") s"
  casectl verify "$case" >"$work/verify.out" 2>&1 || { fail "casectl verify $case: $(cat "$work/verify.out")"; return; }
  say "petition: casectl verify: $(cat "$work/verify.out") at $(since "$t0") s"
}

# 5. routing killed amid a stream of petitions, twice. First with
# `docker-compose kill -s KILL routing`: the engine records that as the
# user stopping it, so no restart policy applies (podman, like Docker's
# manual stop); it stays down until `docker-compose up -d` starts it
# again. Then its process is SIGKILLed from the host, as a crash or the
# OOM killer does: the restart policy (unless-stopped) brings it back by
# itself. Afterwards every case is routed once (verify intact, distinct
# numbers) and every SMS part reached the fake SMSC once.
check_kill_routing() {
  local n="${KILL_STREAM:-12}" i cases=() t_kill restarts0 restarts c sms0 parts
  sms0="$(fakesmsc_count)"
  for i in $(seq 2 $((n + 1))); do
    cases+=("$(submit "$i")") || fail "submit $i"
    if [ "$i" -eq $((n / 3 + 1)) ]; then
      compose kill -s KILL routing >/dev/null 2>&1 || fail "docker-compose kill -s KILL routing"
      sleep 5
      c="$(podman ps -aq --filter "label=com.docker.compose.project=$project" --filter label=com.docker.compose.service=routing | head -1)"
      say "kill: docker-compose kill -s KILL routing after $((i - 1)) of $n petitions: $(podman inspect --format '{{.State.Status}} (exit {{.State.ExitCode}}), RestartCount {{.RestartCount}}' "$c") 5 s later; docker-compose up -d starts it"
      compose up -d --no-build routing >/dev/null 2>&1 || fail "docker-compose up -d routing"
    fi
    if [ "$i" -eq $((2 * n / 3 + 1)) ]; then
      wait_all_healthy 240 || fail "routing not healthy after docker-compose up -d"
      c="$(container_of routing)"
      restarts0="$(podman inspect --format '{{.RestartCount}}' "$c")"
      t_kill=$(now)
      kill -KILL "$(podman inspect --format '{{.State.Pid}}' "$c")"
      say "kill: routing's process SIGKILLed from the host after $((i - 1)) of $n petitions"
    fi
  done
  wait_all_healthy 240 || { fail "routing not healthy again"; return; }
  c="$(container_of routing)"
  restarts="$(podman inspect --format '{{.RestartCount}}' "$c")"
  [ "$restarts" -gt "$restarts0" ] || fail "routing was not restarted by its policy (RestartCount $restarts)"
  say "kill: the restart policy brought routing back, healthy $(since "$t_kill") s after the SIGKILL (RestartCount $restarts0 -> $restarts)"
  for i in "${!cases[@]}"; do
    wait_for "$routed" 120 show "${cases[$i]}" >/dev/null || fail "${cases[$i]} lost: not routed"
    casectl verify "${cases[$i]}" >/dev/null 2>&1 || fail "${cases[$i]}: verify failed"
  done
  [ "$(printf '%s\n' "${cases[@]}" | sort -u | wc -l)" -eq "$n" ] || fail "case numbers repeat"
  parts=0
  for i in "${!cases[@]}"; do
    wait_for "$delivered" 120 sms "${cases[$i]}" >/dev/null || fail "${cases[$i]}: no delivered SMS"
    parts=$((parts + $(casectl --json sms "${cases[$i]}" | json_field 'sum(m.get("parts",0) for m in d.get("messages",[]))')))
  done
  sleep 5  # a duplicate would arrive about now
  local got=$(( $(fakesmsc_count) - sms0 ))
  [ "$got" -eq "$parts" ] || fail "the fake SMSC got $got SMS parts for $parts listed"
  say "kill: all $n cases routed and verified intact, none twice; fake SMSC got $got parts, notification lists $parts"
}

# 6. Each service's health check turns unhealthy while its process is
# stopped (SIGSTOP from the host: stuck, port open, no answer) and healthy
# again after SIGCONT. The start period must be over for failures to
# count. devbroker's check only says it started (an info file): skipped.
check_stuck_unhealthy() {
  local c name pids=() names=() started wait_s
  for c in $(containers); do
    name="$(name_of "$c")"
    has_health "$c" && [ "$name" != devbroker ] || continue
    started="$(podman inspect --format '{{.State.StartedAt.Unix}}' "$c")"
    wait_s=$(( started + 185 - $(date +%s) ))
    [ "$wait_s" -gt 0 ] && { say "stuck: waiting ${wait_s} s for $name's start period"; sleep "$wait_s"; }
    pids+=("$(podman inspect --format '{{.State.Pid}}' "$c")")
    names+=("$name")
  done
  local t=$(now)
  kill -STOP "${pids[@]}"
  local deadline=$(( $(date +%s) + 120 )) all
  while :; do
    all=1
    for name in "${names[@]}"; do [ "$(health_of "$(container_of "$name")")" = unhealthy ] || all=0; done
    [ "$all" -eq 1 ] || [ "$(date +%s)" -ge "$deadline" ] && break
    sleep 1
  done
  kill -CONT "${pids[@]}"
  for name in "${names[@]}"; do
    [ "$(health_of "$(container_of "$name")")" = unhealthy ] || fail "$name stayed $(health_of "$(container_of "$name")") while stopped"
  done
  say "stuck: ${names[*]} unhealthy within $(since "$t") s of SIGSTOP"
  t=$(now)
  wait_all_healthy 120 || fail "not healthy again after SIGCONT"
  say "stuck: healthy again $(since "$t") s after SIGCONT"
}
