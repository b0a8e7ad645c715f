#!/bin/sh
# A stand-in for Kafka's bin/kafka-acls.sh, for tests/deploy/topics_test.cc:
# appends the call to $FAKE_KAFKA_STATE/log and each ACL added, once, to
# $FAKE_KAFKA_STATE/acls as "principal operation topic|group NAME" or
# "principal operation cluster". Only admin gets in (fake-kafka-bin/login).
set -eu
state="${FAKE_KAFKA_STATE:?}"
echo "kafka-acls.sh $*" >>"$state/log"
. "$(dirname "$0")/login"
fake_login "$@"
add="" principal="" operation="" resource=""
while [ $# -gt 0 ]; do
  case "$1" in
    --add) add=1 ;;
    --allow-principal) principal="$2"; shift ;;
    --operation) operation="$2"; shift ;;
    --topic | --group) resource="${1#--} $2"; shift ;;
    --cluster) resource="cluster" ;;
    --bootstrap-server | --command-config) shift ;;
    *) echo "fake kafka-acls.sh: unknown argument $1" >&2; exit 1 ;;
  esac
  shift
done
[ -n "$add" ] && [ -n "$principal" ] && [ -n "$operation" ] && [ -n "$resource" ] ||
  { echo "fake kafka-acls.sh: needs --add, --allow-principal, --operation and a resource" >&2; exit 1; }
line="$principal $operation $resource"
touch "$state/acls"
grep -qxF "$line" "$state/acls" || echo "$line" >>"$state/acls"
