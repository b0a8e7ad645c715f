#!/bin/sh
# A stand-in for Kafka's bin/kafka-configs.sh, for tests/deploy/topics_test.cc:
# appends the call to $FAKE_KAFKA_STATE/log; for a topic, fails if it does
# not exist; for a user, keeps its --add-config (the SCRAM credential) in
# $FAKE_KAFKA_STATE/users/<name>. Only admin gets in (fake-kafka-bin/login).
set -eu
state="${FAKE_KAFKA_STATE:?}"
echo "kafka-configs.sh $*" >>"$state/log"
. "$(dirname "$0")/login"
fake_login "$@"
name="" type="" config=""
while [ $# -gt 0 ]; do
  case "$1" in
    --entity-name) name="$2"; shift ;;
    --entity-type) type="$2"; shift ;;
    --add-config) config="$2"; shift ;;
  esac
  shift
done
case "$type" in
  topics)
    [ -f "$state/topics/$name" ] || { echo "Topic $name does not exist" >&2; exit 1; } ;;
  users)
    mkdir -p "$state/users"
    echo "$config" >"$state/users/$name" ;;
  *) echo "fake kafka-configs.sh: entity type $type" >&2; exit 1 ;;
esac
