#!/bin/sh
# A stand-in for Kafka's bin/kafka-topics.sh, for tests/deploy/topics_test.cc
# (no Kafka runs here): topics are files $FAKE_KAFKA_STATE/topics/<name>
# holding the partition count; every call is appended to
# $FAKE_KAFKA_STATE/log. While $FAKE_KAFKA_STATE/down holds a number above
# 0 the "broker" is not up yet: each call counts it down and fails. Only
# admin gets in (fake-kafka-bin/login).
set -eu
state="${FAKE_KAFKA_STATE:?}"
echo "kafka-topics.sh $*" >>"$state/log"
. "$(dirname "$0")/login"
fake_login "$@"
if [ -f "$state/down" ] && [ "$(cat "$state/down")" -gt 0 ]; then
  echo $(($(cat "$state/down") - 1)) >"$state/down"
  echo "Timed out waiting for a node assignment." >&2
  exit 1
fi
mkdir -p "$state/topics"
action="" topic="" partitions=""
while [ $# -gt 0 ]; do
  case "$1" in
    --list | --create | --describe) action="$1" ;;
    --topic) topic="$2"; shift ;;
    --partitions) partitions="$2"; shift ;;
    --bootstrap-server | --config | --command-config) shift ;;
  esac
  shift
done
case "$action" in
  --list) ls "$state/topics" ;;
  --create) [ -f "$state/topics/$topic" ] || echo "$partitions" >"$state/topics/$topic" ;;
  --describe)
    [ -f "$state/topics/$topic" ] || { echo "Topic '$topic' does not exist" >&2; exit 1; }
    printf 'Topic: %s\tTopicId: x\tPartitionCount: %s\tReplicationFactor: 1\tConfigs: \n' \
      "$topic" "$(cat "$state/topics/$topic")" ;;
  *) echo "fake kafka-topics.sh: no action" >&2; exit 1 ;;
esac
